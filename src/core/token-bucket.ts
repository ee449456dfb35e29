/**
 * A reserving token bucket (GCRA-style) for requests-per-minute and tokens-per-minute limits.
 *
 * `take(n)` subtracts `n` at once (the level may go negative: that is a reservation in the future) and
 * returns how long the caller must wait before sending. Callers that take in turn are spaced exactly
 * `n / refillPerMs` apart, so a queue of work leaves at the refill rate with no burst beyond `capacity`.
 *
 * Bound: in any interval of length `W` at most `capacity + refillPerMs * W` units are sent. That is why
 * {@link bucketForLimit} picks a small burst and refills at `(limit - burst) / windowMs`: a server that
 * enforces `limit` per sliding or fixed window of `windowMs` (or a quantized per-second limit) never sees
 * more than `limit` from us.
 */
export class TokenBucket {
  /** Largest level the bucket refills to (the permitted burst). */
  readonly capacity: number;
  /** Units added per millisecond. */
  readonly refillPerMs: number;
  private level: number;
  private stamp: number;
  private readonly now: () => number;

  /**
   * @param capacity burst size, > 0; the bucket starts full
   * @param refillPerMs refill rate in units per millisecond, > 0
   * @param now clock in milliseconds (default `performance.now`)
   */
  constructor(capacity: number, refillPerMs: number, now: () => number = () => performance.now()) {
    if (!(capacity > 0) || !Number.isFinite(capacity)) {
      throw new RangeError(`Expected bucket capacity to be a positive number, got ${capacity}`);
    }
    if (!(refillPerMs > 0) || !Number.isFinite(refillPerMs)) {
      throw new RangeError(`Expected bucket refill rate to be a positive number, got ${refillPerMs}`);
    }
    this.capacity = capacity;
    this.refillPerMs = refillPerMs;
    this.now = now;
    this.level = capacity;
    this.stamp = now();
  }

  private refill(): number {
    const t = this.now();
    this.level = Math.min(this.capacity, this.level + (t - this.stamp) * this.refillPerMs);
    this.stamp = t;
    return this.level;
  }

  /**
   * Reserve `n` units; returns the wait in milliseconds (0 when available now) before they may be used.
   * A request larger than the capacity is allowed: it waits until the bucket is back at zero after it.
   */
  take(n: number): number {
    if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`Expected units >= 0, got ${n}`);
    const level = this.refill() - n;
    this.level = level;
    return level >= 0 ? 0 : -level / this.refillPerMs;
  }

  /**
   * Give back (positive) or charge extra (negative) units, e.g. to correct a token estimate with the
   * real usage, or to return a reservation that was never sent. The level never exceeds `capacity`.
   */
  adjust(n: number): void {
    if (!Number.isFinite(n)) throw new RangeError(`Expected a finite adjustment, got ${n}`);
    this.level = Math.min(this.capacity, this.refill() + n);
  }

  /** Current level (negative while reservations are outstanding). */
  available(): number {
    return this.refill();
  }
}

/** A limit of `limit` units per `windowMs`, as a server states it (e.g. 600 requests per minute). */
export interface RateLimit {
  /** Units allowed per window, > 0. */
  readonly limit: number;
  /** Window length in ms. Default 60 000. */
  readonly windowMs?: number;
  /** Units that may leave at once after idling. Default 1 for requests; see {@link bucketForLimit}. */
  readonly burst?: number;
  /**
   * Allowance for jitter between our send and the server's count (connection set-up, queueing), in ms:
   * the bucket acts as if the window were this much longer. Default 1% of the window (600 ms a minute).
   */
  readonly marginMs?: number;
}

/**
 * A bucket that never lets more than `limit` units out in any interval of `windowMs + marginMs`:
 * capacity `burst` and refill `(limit - burst) / (windowMs + marginMs)`. So a server counting `limit`
 * per sliding or fixed window (or a per-second quantized limit) sees no excess even when some requests
 * reach it up to `marginMs` late. With the defaults (burst 1, margin 1%) and 600/min the steady rate is
 * 599/60.6 s, 98.8% of the limit.
 *
 * @example
 * const rpm = bucketForLimit({ limit: 600 }); // 600 requests per minute, burst 1
 * await sleep(rpm.take(1));
 */
export function bucketForLimit(rate: RateLimit, now?: () => number): TokenBucket {
  const windowMs = rate.windowMs ?? 60_000;
  const burst = rate.burst ?? 1;
  const marginMs = rate.marginMs ?? windowMs / 100;
  if (!(rate.limit > 0)) throw new RangeError(`Expected a rate limit > 0, got ${rate.limit}`);
  if (!(windowMs > 0)) throw new RangeError(`Expected a rate window > 0 ms, got ${windowMs}`);
  if (!(burst > 0 && burst < rate.limit)) {
    throw new RangeError(
      `Expected burst to be > 0 and below the limit ${rate.limit}, got ${burst}; use a burst of 1 or a few`,
    );
  }
  if (!(marginMs >= 0)) throw new RangeError(`Expected marginMs >= 0, got ${marginMs}`);
  return new TokenBucket(burst, (rate.limit - burst) / (windowMs + marginMs), now);
}
