import { dirname } from "node:path";
import type { Argv } from "yargs";
import type { ScanPlan } from "../core/config.js";
import { ConfigError } from "../core/errors.js";
import type { ReportEvent } from "../report/events.js";
import { eventsPath, readEvents } from "../report/read.js";

/** The target flags every command that drives a model takes (scan, canary exposure, mia, mia self-prompt). */
export function targetOptions<T>(y: Argv<T>) {
  return y
    .option("target", { choices: ["openai", "hf", "gguf"] as const, describe: "Target family" })
    .option("model", { type: "string", describe: "Model name (openai/hf) or .gguf path (gguf)" })
    .option("base-url", {
      type: "string",
      describe: "OpenAI-compatible base URL (…/v1), or TGI endpoint URL for hf",
    });
}

/** The pacing and budget options every run command shares (scan, canary exposure, mia). */
export function pacingOptions<T>(y: Argv<T>) {
  return y
    .option("concurrency", { type: "number", describe: "Requests in flight", defaultDescription: "4" })
    .option("rpm", { type: "number", describe: "Requests per minute" })
    .option("tpm", { type: "number", describe: "Tokens per minute" })
    .option("max-requests", { type: "number", describe: "Request budget per target (--resume continues)" })
    .option("max-tokens", { type: "number", describe: "Token budget per target" })
    .option("timeout-ms", { type: "number", describe: "Per-request timeout", defaultDescription: "120000" });
}

/** Flags a resumed run may change: budgets and pacing, never what defines the work. */
export interface ResumeFlags {
  maxRequests?: number;
  maxTokens?: number;
  concurrency?: number;
  rpm?: number;
  tpm?: number;
}

/**
 * The saved plan of the run in `dir` (its `run.started` event), with budgets and pacing from `flags`.
 * `kind` checks the saved plan is of the command resuming it.
 *
 * @throws ConfigError when `dir` is not a memscan run, or not one of this kind (`what` names it).
 */
export async function resumedPlan(
  dir: string,
  flags: ResumeFlags,
  kind: (plan: ScanPlan) => boolean,
  what: string,
): Promise<{ plan: ScanPlan; previous: ReportEvent[]; runDir: string }> {
  const previous = await readEvents(dir);
  const started = previous.find((e) => e.type === "run.started");
  if (started?.type !== "run.started") {
    throw new ConfigError(`${dir} has no run.started event: not a memscan run folder.`);
  }
  const saved = started.plan as unknown as ScanPlan;
  if (!kind(saved)) throw new ConfigError(`${dir} is not a ${what} run.`);
  const plan: ScanPlan = {
    ...saved,
    ...(flags.maxRequests ? { maxRequests: flags.maxRequests } : {}),
    ...(flags.maxTokens ? { maxTokens: flags.maxTokens } : {}),
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.rpm ? { rpm: flags.rpm } : {}),
    ...(flags.tpm ? { tpm: flags.tpm } : {}),
  };
  return { plan, previous, runDir: dirname(eventsPath(dir)) };
}
