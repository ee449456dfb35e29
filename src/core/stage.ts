import type { ReportEvent, Role } from "../report/events.js";
import type { TargetError } from "./errors.js";
import type { PreparedScan, Progress } from "./runner.js";
import type { Scheduler } from "./scheduler.js";

/** What a stage run after the probes gets from the scan: its targets, journal and pacing. */
export interface StageContext {
  readonly prepared: PreparedScan;
  /** Append an event to the run's journal (the stage is a runner: it writes its own events). */
  readonly emit: (e: ReportEvent) => Promise<void>;
  /** Events of earlier starts of this run (resume): the stage skips work they committed. */
  readonly previous: readonly ReportEvent[];
  /** The scan's per-role schedulers: limits and budgets are shared with the probes. */
  readonly schedulers: ReadonlyMap<Role, Scheduler>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

/** How a stage ended: `reason` when it stopped early (budget, Ctrl-C), `fatal` on an auth/quota error. */
export interface StageResult {
  readonly reason?: string;
  /** True when a request or token budget stopped it (resume with a larger one). */
  readonly budget?: boolean;
  readonly fatal?: TargetError;
}

/**
 * A step of a scan after the probes (canary exposure, membership inference), writing its events into
 * the same events.jsonl before `run.finished`. Validated and built before anything is written.
 */
export interface ScanStage {
  readonly name: string;
  /** One line for people, shown before the run starts (e.g. what a costly stage will spend). */
  readonly announce?: string;
  run(ctx: StageContext): Promise<StageResult>;
}
