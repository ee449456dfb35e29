import type { BudgetError, TargetError } from "./errors.js";
import type { RateLimitInfo } from "./rate-limit-headers.js";
import type { RateLimit } from "./token-bucket.js";

/** Options of a {@link Scheduler}; one scheduler per target. */
export interface SchedulerOptions {
  /** Most requests in flight at once (p-limit), >= 1. */
  readonly concurrency: number;
  /**
   * Halve concurrency on each 429 and raise it by one after `raiseAfter` successes in a row, never above
   * `concurrency`. Default true.
   */
  readonly adaptive?: boolean;
  /** Successes in a row before adaptive concurrency goes up by one. Default 10. */
  readonly raiseAfter?: number;
  /**
   * Requests per minute (a number) or per custom window. Burst defaults to 1% of the limit (at least 1),
   * the safety margin to 1% of the window: 600/min gives a steady 594 per 60.6 s (98%).
   */
  readonly rpm?: number | RateLimit;
  /**
   * Tokens per minute (a number) or per custom window. Each call is charged its estimate before it is
   * sent (OpenAI's limiter also counts `max_tokens` at request time), then corrected by real usage:
   * any excess is charged, the rest refunded up to the burst (default 1% of the limit, as for rpm).
   */
  readonly tpm?: number | RateLimit;
  /** Tries in all, first included. Default 4. */
  readonly maxTries?: number;
  /** Cap on a server-requested Retry-After wait, ms. Default 60 000. */
  readonly maxRetryAfterMs?: number;
  /** Backoff base, ms (full jitter, doubling). Default 500. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling, ms. Default 20 000. */
  readonly maxDelayMs?: number;
  /** Per-try deadline, ms; a try that runs over becomes `TargetError("timeout")`. Default 300 000. */
  readonly timeoutMs?: number;
  /** Requests actually sent (retries included) before later calls get a BudgetError. Default unlimited. */
  readonly maxRequests?: number;
  /** Tokens used (real usage) before later calls get a BudgetError. Default unlimited. */
  readonly maxTokens?: number;
  /** Parent signal (Ctrl-C): aborts waits and in-flight tries; later calls return `aborted`. */
  readonly signal?: AbortSignal;
  /** Clock in ms for the rate buckets and pauses. Default `performance.now`. */
  readonly now?: () => number;
  /** Wait `ms`, resolving early (not rejecting) when `signal` aborts. Default: a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) source for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Called before each retry wait (for logs and progress). */
  readonly onRetry?: (info: RetryInfo) => void;
}

/** What the scheduler is about to retry, and after how long. */
export interface RetryInfo {
  /** Tries sent so far for this call. */
  readonly tries: number;
  readonly error: TargetError;
  readonly delayMs: number;
}

/** What a call costs, for the TPM bucket and the token budget. */
export interface CallCost<T> {
  /** Tokens expected before the call; see {@link estimateTokens}. Default 0. */
  readonly estimatedTokens?: number;
  /** Real tokens used, read from the result (e.g. prompt + completion usage). Default: the estimate. */
  readonly usage?: (value: T) => number;
  /** Rate-limit headers the result carries, if the adapter exposes them. */
  readonly rateLimit?: (value: T) => RateLimitInfo | undefined;
}

/** Result of `Scheduler.run`: a value, or the error that ended the call; `tries` counts requests sent. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly tries: number; readonly tokens: number }
  | { readonly ok: false; readonly error: TargetError | BudgetError; readonly tries: number };

/** Counters of a scheduler since it was made. */
export interface SchedulerStats {
  /** Requests actually sent, retries included. */
  readonly sent: number;
  /** Calls (`run`) that ended with a value. */
  readonly succeeded: number;
  /** Calls that ended with an error. */
  readonly failed: number;
  readonly retries: number;
  /** Responses classified `rate_limit` (429). */
  readonly rateLimited: number;
  /** Tokens used, by real usage. */
  readonly tokens: number;
  readonly inFlight: number;
  /** Current (possibly adaptively lowered) concurrency. */
  readonly concurrency: number;
}

/**
 * The usual pre-call estimate: prompt characters / 4 plus the completion allowance.
 *
 * @example
 * estimateTokens("x".repeat(400), 64); // 164
 */
export function estimateTokens(prompt: string, maxTokens: number): number {
  return Math.ceil(prompt.length / 4) + maxTokens;
}
