import pLimit, { type LimitFunction } from "p-limit";
import { sleepUnlessAborted, validateTimeout, withDeadline } from "./deadline.js";
import { BudgetError, errorMessage, TargetError } from "./errors.js";
import type { RateLimitInfo } from "./rate-limit-headers.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay, validateRetryPolicy } from "./retry.js";
import type { CallCost, Outcome, SchedulerOptions, SchedulerStats } from "./scheduler-types.js";
import { bucketForLimit, type TokenBucket } from "./token-bucket.js";

export type { CallCost, Outcome, RetryInfo, SchedulerOptions, SchedulerStats } from "./scheduler-types.js";
export { estimateTokens } from "./scheduler-types.js";

type Try<T> =
  | { sent: true; ok: true; value: T; tokens: number }
  | { sent: true; ok: false; error: TargetError; unknown: boolean }
  | { sent: false; ok: false; error: TargetError | BudgetError };

/**
 * The one place calls to a target are paced and retried: p-limit caps requests in flight, token buckets
 * cap requests and tokens per minute, one retry layer handles 429/5xx/timeouts/connection errors,
 * per-try deadlines and the parent signal cancel, and budgets stop sending.
 *
 * - Retries: `TargetError`s whose `retryable` is true, up to `maxTries` tries in all; waits are the server's
 *   Retry-After (capped at `maxRetryAfterMs`, and then every call of this scheduler pauses that long) or
 *   exponential backoff with full jitter.
 * - Fatal errors (`auth`, `quota`) stop the scheduler: that call and every later one return the error
 *   without sending.
 * - Exceptions that are not `TargetError` are adapter bugs: they come back as a non-retried
 *   `TargetError("malformed")` with the original as `cause` (retrying a bug only repeats it).
 * - `run` never throws for a failed call; one failure never stops other calls.
 *
 * @example
 * const s = new Scheduler({ concurrency: 4, rpm: 600, timeoutMs: 30_000 });
 * const out = await s.run((signal) => target.chat!(msgs, params, { signal }), {
 *   estimatedTokens: estimateTokens(prompt, params.maxTokens),
 *   usage: (g) => g.usage.promptTokens + g.usage.completionTokens,
 * });
 * if (!out.ok) recordError(out.error);
 */
export class Scheduler {
  private readonly limit: LimitFunction;
  private readonly policy: RetryPolicy;
  private readonly rpm: TokenBucket | undefined;
  private readonly tpm: TokenBucket | undefined;
  private readonly opts: SchedulerOptions;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private fatal: TargetError | undefined;
  private pausedUntil = 0;
  /** FIFO chain of callers waiting at the buckets (see `pace`). */
  private gate: Promise<unknown> = Promise.resolve();
  private streak = 0;
  private counts = { sent: 0, succeeded: 0, failed: 0, retries: 0, rateLimited: 0, tokens: 0, inFlight: 0 };

  constructor(opts: SchedulerOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new RangeError(`Expected concurrency to be an integer >= 1, got ${opts.concurrency}`);
    }
    if (opts.timeoutMs !== undefined) validateTimeout(opts.timeoutMs);
    this.opts = opts;
    this.limit = pLimit(opts.concurrency);
    this.policy = validateRetryPolicy({
      maxTries: opts.maxTries ?? DEFAULT_RETRY_POLICY.maxTries,
      baseDelayMs: opts.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: opts.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    });
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? sleepUnlessAborted;
    this.random = opts.random ?? Math.random;
    const rpm = typeof opts.rpm === "number" ? { limit: opts.rpm } : opts.rpm;
    const tpm = typeof opts.tpm === "number" ? { limit: opts.tpm } : opts.tpm;
    // Default burst: 1% of the limit (at least 1), enough to absorb late timer wake-ups, far below any
    // per-second quantization of the limit (1/60 of it).
    const burst = (limit: number) => Math.max(1, Math.floor(limit / 100));
    this.rpm = rpm && bucketForLimit({ burst: burst(rpm.limit), ...rpm }, this.now);
    this.tpm = tpm && bucketForLimit({ burst: burst(tpm.limit), ...tpm }, this.now);
  }

  /** Run one call with pacing, retries, deadline and budgets. Resolves with an {@link Outcome}; never rejects for call failures. */
  async run<T>(call: (signal: AbortSignal) => Promise<T>, cost: CallCost<T> = {}): Promise<Outcome<T>> {
    let tries = 0;
    for (;;) {
      const attempt: Try<T> = await this.limit(() => this.attempt(call, cost));
      if (attempt.sent) tries++;
      if (attempt.ok) {
        this.counts.succeeded++;
        return { ok: true, value: attempt.value, tries, tokens: attempt.tokens };
      }
      const error = attempt.error;
      const retry =
        attempt.sent &&
        !attempt.unknown &&
        error instanceof TargetError &&
        error.retryable &&
        tries < this.policy.maxTries;
      if (!retry) {
        if (error instanceof TargetError && error.fatal) this.fatal ??= error;
        this.counts.failed++;
        return { ok: false, error, tries };
      }
      const delayMs = retryDelay(error, tries - 1, this.policy, this.random);
      if (error.kind === "rate_limit" && error.retryAfterMs !== undefined) this.pauseFor(delayMs);
      this.counts.retries++;
      this.opts.onRetry?.({ tries, error, delayMs });
      await this.sleep(delayMs, this.opts.signal);
    }
  }

  /**
   * Hook for rate-limit headers (see `parseRateLimitHeaders`): when an allowance is at zero, every call
   * pauses until it resets (capped at `maxRetryAfterMs`).
   */
  noteRateLimit(info: RateLimitInfo): void {
    if (info.remainingRequests === 0 && info.resetRequestsMs !== undefined)
      this.pauseFor(info.resetRequestsMs);
    if (info.remainingTokens === 0 && info.resetTokensMs !== undefined) this.pauseFor(info.resetTokensMs);
  }

  /** Counters so far. */
  stats(): SchedulerStats {
    return { ...this.counts, concurrency: this.limit.concurrency };
  }

  private pauseFor(ms: number): void {
    const capped = Math.min(Math.max(0, ms), this.policy.maxRetryAfterMs);
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + capped);
  }

  /** Why nothing may be sent now, if anything. */
  private refusal(): TargetError | BudgetError | undefined {
    const parent = this.opts.signal;
    if (parent?.aborted) {
      return new TargetError(
        "aborted",
        `Expected the run to continue, but it was aborted by its caller (${errorMessage(parent.reason)}); nothing was sent`,
        { cause: parent.reason },
      );
    }
    if (this.fatal) return this.fatal;
    const { maxRequests, maxTokens } = this.opts;
    if (maxRequests !== undefined && this.counts.sent >= maxRequests) {
      return new BudgetError(
        `Expected at most ${maxRequests} requests (maxRequests), and ${this.counts.sent} were sent; raise the request budget to send more`,
      );
    }
    if (maxTokens !== undefined && this.counts.tokens >= maxTokens) {
      return new BudgetError(
        `Expected at most ${maxTokens} tokens (maxTokens), and ${this.counts.tokens} were used; raise the token budget to send more`,
      );
    }
    return undefined;
  }

  /** One try, inside a concurrency slot: wait for our turn at the pauses and buckets, then send under a deadline. */
  private async attempt<T>(call: (signal: AbortSignal) => Promise<T>, cost: CallCost<T>): Promise<Try<T>> {
    const estimate = cost.estimatedTokens ?? 0;
    const turn = this.gate.then(() => this.pace(estimate));
    this.gate = turn.catch(() => undefined);
    const refused = await turn;
    if (refused) return { sent: false, ok: false, error: refused };
    this.counts.sent++;
    this.counts.inFlight++;
    try {
      const value = await withDeadline(call, {
        timeoutMs: this.opts.timeoutMs ?? 300_000,
        parent: this.opts.signal,
      });
      const tokens = cost.usage ? cost.usage(value) : estimate;
      this.tpm?.adjust(estimate - tokens);
      this.counts.tokens += tokens;
      const info = cost.rateLimit?.(value);
      if (info) this.noteRateLimit(info);
      this.succeeded();
      return { sent: true, ok: true, value, tokens };
    } catch (err) {
      if (err instanceof TargetError) {
        if (err.kind !== "timeout") this.tpm?.adjust(estimate); // a refused request used no tokens
        if (err.kind === "rate_limit") this.rateLimited();
        return { sent: true, ok: false, error: err, unknown: false };
      }
      const wrapped = new TargetError(
        "malformed",
        `Expected the call to fail with a TargetError, got ${errorName(err)}: ${errorMessage(err)}; the target adapter should classify this error`,
        { cause: err },
      );
      return { sent: true, ok: false, error: wrapped, unknown: true };
    } finally {
      this.counts.inFlight--;
    }
  }

  /**
   * Wait out pauses and take from the buckets. Callers come here one at a time (the `gate` chain), so
   * at most one reservation is outstanding and a wake-up delayed by a busy event loop cannot release
   * a burst of earlier reservations: the next caller sees the bucket as it really is.
   */
  private async pace(estimate: number): Promise<TargetError | BudgetError | undefined> {
    // A few rounds at most: a pause that began while we waited is honoured, a clock that never moves is not spun on.
    for (let round = 0; ; round++) {
      const refused = this.refusal();
      if (refused) return refused;
      const pause = this.pausedUntil - this.now();
      if (pause > 0 && round < 3) {
        await this.sleep(pause, this.opts.signal);
        continue;
      }
      const wait = Math.max(this.rpm?.take(1) ?? 0, this.tpm?.take(estimate) ?? 0);
      if (wait > 0) await this.sleep(wait, this.opts.signal);
      const late = this.refusal() ?? (this.pausedUntil > this.now() && round < 3 ? "paused" : undefined);
      if (late === undefined) return undefined;
      this.rpm?.adjust(1); // give the reservation back: nothing was sent
      this.tpm?.adjust(estimate);
    }
  }

  private succeeded(): void {
    const max = this.opts.concurrency;
    if (this.opts.adaptive === false || this.limit.concurrency >= max) return;
    if (++this.streak >= (this.opts.raiseAfter ?? 10)) {
      this.limit.concurrency = Math.min(max, this.limit.concurrency + 1);
      this.streak = 0;
    }
  }

  private rateLimited(): void {
    this.counts.rateLimited++;
    this.streak = 0;
    if (this.opts.adaptive === false) return;
    this.limit.concurrency = Math.max(1, Math.floor(this.limit.concurrency / 2));
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
