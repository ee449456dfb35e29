import { DEMO_PLAN, loadConfigFile, resolveScanPlan, type ScanFlags, type ScanPlan } from "../core/config.js";
import { type MiaFlags, resolveMiaPlan } from "../core/config-mia.js";
import { ConfigError } from "../core/errors.js";
import type { ReportEvent } from "../report/events.js";
import { resumedPlan } from "./run-options.js";

/** `memscan mia` arguments: target flags, MIA flags, run flags. */
export interface MiaArgs extends ScanFlags, MiaFlags {
  config?: string;
  resume?: string;
  json?: boolean;
  progress?: boolean;
  saveLogprobs?: string;
}

/**
 * The plan of a `memscan mia` run: a scan plan with no probes and no control, the reference model, gates
 * only as given (default none), the `mia:` section from flags over the config file. On `--resume`, the
 * saved plan (budgets and pacing may change).
 */
export async function miaPlanFor(
  args: MiaArgs,
): Promise<{ plan: ScanPlan; previous?: ReportEvent[]; runDir?: string }> {
  if (args.resume) return resumedPlan(args.resume, args, (p) => p.mia !== undefined, "memscan mia");
  const file = args.config ? await loadConfigFile(args.config) : undefined;
  const base = resolveScanPlan(file, args);
  const mia = resolveMiaPlan(
    file?.mia,
    args,
    file?.baseDir ?? process.cwd(),
    base.demo ? DEMO_PLAN : undefined,
  );
  if (!mia) {
    throw new ConfigError(
      'Expected member and non-member texts, got none; pass --members <file> --non-members <file> (JSONL with a "text" field) or a config with a `mia:` section',
    );
  }
  const given = args.failOn?.length ? args.failOn : file?.failOn;
  const { control: _c, canaries: _k, ...rest } = base;
  return {
    plan: {
      ...rest,
      probes: [],
      failOn: given === undefined ? [] : Array.isArray(given) ? given : [given],
      mia,
    },
  };
}
