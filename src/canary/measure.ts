import { CallTally } from "../core/call-tally.js";
import type { TargetError } from "../core/errors.js";
import type { Scheduler } from "../core/scheduler.js";
import type { Target } from "../core/types.js";
import type { CanaryExposureEvent } from "../report/events.js";

/** What one canary's measurement needs: the target, its scheduler, and a per-call tally. */
export interface MeasureContext {
  readonly target: Target;
  readonly scheduler: Scheduler;
  /** Called once per finished call (for progress): whether it succeeded, requests and tokens used. */
  readonly onCall?: (call: { readonly ok: boolean; readonly tries: number; readonly tokens: number }) => void;
}

/** The event fields a measurement produces (the stage adds role, journal key and common fields). */
export type ExposureBody = Omit<CanaryExposureEvent, "v" | "time" | "type" | "role" | "journalKey">;

/** How measuring one canary ended. */
export type Measured =
  /** Measured (or failed after retries: `body.error` set, exposures null). */
  | { readonly kind: "done"; readonly body: ExposureBody }
  /** Stopped before the end (Ctrl-C, budget, auth/quota): nothing to write, a resume measures it. */
  | { readonly kind: "stopped"; readonly reason?: string; readonly fatal?: TargetError };

/** Tally of one canary's calls. */
export class Tally extends CallTally {
  constructor(ctx: MeasureContext) {
    super(ctx.onCall);
  }

  /** `stopped` when a call said stop, else a `done` with `body` (or the error body). */
  finish(body: () => ExposureBody, failed: () => ExposureBody): Measured {
    if (this.stop) return { kind: "stopped", ...this.stop };
    const b = this.error === undefined ? body() : { ...failed(), error: this.error };
    return { kind: "done", body: { ...b, requests: this.requests, tokens: this.tokens } };
  }
}
