import type { TargetError } from "./errors.js";

/** How the scheduler's single retry layer waits between tries. */
export interface RetryPolicy {
  /** Tries in all, first one included. Default 4. */
  readonly maxTries: number;
  /** First backoff ceiling in ms; doubles per retry. Default 500. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling in ms. Default 20 000. */
  readonly maxDelayMs: number;
  /** Largest server-requested wait (Retry-After) honoured, in ms. Default 60 000. */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 4 tries, backoff 500 ms doubling up to 20 s with full jitter, Retry-After capped at 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxTries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Exponential backoff with full jitter: uniform in `[0, min(maxDelayMs, baseDelayMs * 2^retry))`,
 * where `retry` is 0 for the first retry.
 *
 * @example
 * backoffDelay(0, DEFAULT_RETRY_POLICY, () => 0.5); // 250
 * backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.5); // 2000 (ceiling 4000)
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling * random();
}

/**
 * The wait before retry number `retry` (0-based) after `error`: the server's `retryAfterMs` when it
 * sent one (capped at `maxRetryAfterMs`), otherwise {@link backoffDelay}.
 */
export function retryDelay(
  error: TargetError,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (error.retryAfterMs !== undefined)
    return Math.min(Math.max(0, error.retryAfterMs), policy.maxRetryAfterMs);
  return backoffDelay(retry, policy, random);
}

/** Check a policy's numbers; throws a RangeError naming the bad field. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxTries) || policy.maxTries < 1) {
    throw new RangeError(`Expected maxTries to be an integer >= 1, got ${policy.maxTries}`);
  }
  for (const key of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    const v = policy[key];
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`Expected ${key} to be >= 0 ms, got ${v}`);
  }
  return policy;
}
