import { BudgetError, TargetError } from "./errors.js";
import type { Outcome } from "./scheduler.js";

/** One finished call, as a stage's progress sees it. */
export interface CallRecord {
  readonly ok: boolean;
  readonly tries: number;
  readonly tokens: number;
}

/**
 * What a unit of stage work (a canary, an MIA record) spent and how its calls ended: requests and tokens,
 * the first non-fatal failure after retries, and whether calls must stop (Ctrl-C, budget, auth/quota).
 */
export class CallTally {
  requests = 0;
  tokens = 0;
  /** First non-fatal failure after retries. */
  error: string | undefined;
  /** Set when calls must stop (abort, budget, fatal); `budget` when a request or token budget stopped them. */
  stop: { reason?: string; fatal?: TargetError; budget?: boolean } | undefined;

  constructor(private readonly onCall?: (call: CallRecord) => void) {}

  /** Record an outcome; returns its value when it succeeded. */
  take<T>(out: Outcome<T>): T | undefined {
    this.requests += out.tries;
    if (out.ok) this.tokens += out.tokens;
    this.onCall?.({ ok: out.ok, tries: out.tries, tokens: out.ok ? out.tokens : 0 });
    if (out.ok) return out.value;
    const err = out.error;
    if (!(err instanceof TargetError))
      this.stop ??= { reason: err.message, ...(err instanceof BudgetError ? { budget: true } : {}) };
    else if (err.kind === "aborted") this.stop ??= { reason: "interrupted" };
    else if (err.fatal) this.stop ??= { reason: err.message, fatal: err };
    else this.error ??= `${err.kind}: ${err.message}`;
    return undefined;
  }
}
