import { resolve } from "node:path";
import { loadConfigFile, resolveScanPlan, type ScanFlags, type ScanPlan } from "../core/config.js";
import { exposureConfigSchema, resolveExposurePlan } from "../core/config-exposure.js";
import { describeIssues } from "../core/config-issues.js";
import { ConfigError } from "../core/errors.js";
import type { TargetSpec } from "../core/target-spec.js";
import type { ReportEvent } from "../report/events.js";
import { resumedPlan } from "./run-options.js";

/** The flags of `memscan canary exposure` (scan flags plus the exposure ones). */
export interface ExposureArgs extends ScanFlags {
  manifest?: string;
  scores?: string;
  config?: string;
  resume?: string;
  references?: number;
  samples?: number;
  method?: "auto" | "rank" | "generation";
  measureControl?: boolean;
  json?: boolean;
  progress?: boolean;
}

/** A gguf model path made absolute, so a resume from another directory finds it. */
const absolute = (t: TargetSpec): TargetSpec => (t.family === "gguf" ? { ...t, model: resolve(t.model) } : t);

function exposureFlags(args: ExposureArgs) {
  const raw = {
    ...(args.references !== undefined ? { references: args.references } : {}),
    ...(args.samples !== undefined ? { samples: args.samples } : {}),
    ...(args.method !== undefined ? { method: args.method } : {}),
  };
  const parsed = exposureConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid exposure flags:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * The plan of an exposure run: a scan plan with no probes, gates only as given (default none), and the
 * exposure section from flags over the config file; on `--resume`, the saved plan (budgets may change).
 */
export async function exposurePlanFor(
  args: ExposureArgs,
): Promise<{ plan: ScanPlan; previous?: ReportEvent[]; runDir?: string }> {
  if (args.resume)
    return resumedPlan(args.resume, args, (p) => p.exposure !== undefined, "memscan canary exposure");
  const file = args.config ? await loadConfigFile(args.config) : undefined;
  const manifest = args.manifest ?? args.canaries;
  const base = resolveScanPlan(file, { ...args, ...(manifest ? { canaries: manifest } : {}) });
  const control = base.control ? absolute(base.control) : undefined;
  const given = args.failOn?.length ? args.failOn : file?.failOn;
  const exposure = resolveExposurePlan({ ...file?.exposure, ...exposureFlags(args) });
  return {
    plan: {
      ...base,
      target: absolute(base.target),
      ...(control ? { control } : {}),
      probes: [],
      failOn: given === undefined ? [] : Array.isArray(given) ? given : [given],
      exposure: {
        ...exposure,
        control: args.measureControl ?? file?.exposure?.control ?? base.control !== undefined,
      },
    },
  };
}
