import { describe, expect, it } from "vitest";
import { bucketForLimit, TokenBucket } from "../../src/core/token-bucket.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TokenBucket", () => {
  it("serves the burst at once, then spaces takes at the refill rate", () => {
    const c = clock();
    const b = new TokenBucket(2, 0.01, c.now); // 2 burst, 10 per second
    expect(b.take(1)).toBe(0);
    expect(b.take(1)).toBe(0);
    expect(b.take(1)).toBeCloseTo(100);
    expect(b.take(1)).toBeCloseTo(200);
    c.advance(200);
    expect(b.available()).toBeCloseTo(0);
    expect(b.take(1)).toBeCloseTo(100);
  });

  it("never refills above capacity after idling", () => {
    const c = clock();
    const b = new TokenBucket(3, 1, c.now);
    c.advance(1_000_000);
    expect(b.available()).toBe(3);
  });

  it("lets a take larger than the capacity through once the debt would be repaid", () => {
    const c = clock();
    const b = new TokenBucket(10, 1, c.now);
    expect(b.take(50)).toBeCloseTo(40);
  });

  it("adjust gives back or charges extra, capped at capacity", () => {
    const c = clock();
    const b = new TokenBucket(100, 1, c.now);
    b.take(80);
    b.adjust(30); // estimate 80, real 50
    expect(b.available()).toBe(50);
    b.adjust(-70);
    expect(b.available()).toBe(-20);
    b.adjust(1000);
    expect(b.available()).toBe(100);
  });

  it("rejects nonsense numbers with a message naming them", () => {
    expect(() => new TokenBucket(0, 1)).toThrow(/capacity.*got 0/);
    expect(() => new TokenBucket(1, -1)).toThrow(/refill rate.*got -1/);
    expect(() => new TokenBucket(1, 1).take(Number.NaN)).toThrow(/units/);
  });
});

describe("bucketForLimit", () => {
  // Hand-checked: refill = (limit - burst) / (window + margin), margin 1% of the window by default.
  it.each([
    [{ limit: 600 }, 1, 599 / 60_600],
    [{ limit: 60, windowMs: 1000, burst: 5, marginMs: 0 }, 5, 55 / 1000],
    [{ limit: 90_000, burst: 1, marginMs: 400 }, 1, 89_999 / 60_400],
  ])("%o -> capacity %d, refill %d per ms", (rate, capacity, refill) => {
    const b = bucketForLimit(rate);
    expect(b.capacity).toBe(capacity);
    expect(b.refillPerMs).toBeCloseTo(refill, 12);
  });

  it("never lets more than `limit` out in any window, for a greedy taker", () => {
    const c = clock();
    const b = bucketForLimit({ limit: 10, windowMs: 1000, burst: 3, marginMs: 0 }, c.now);
    const sends: number[] = [];
    let t = 0;
    for (let i = 0; i < 100; i++) {
      const wait = b.take(1);
      t += wait;
      c.advance(wait);
      sends.push(t);
    }
    for (let i = 0; i < sends.length; i++) {
      const inWindow = sends.filter((s) => s >= sends[i]! && s < sends[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    // Steady rate: (10 - 3) per second after the burst.
    expect((sends.length - 3) / (sends.at(-1)! / 1000)).toBeCloseTo(7, 5);
  });

  it("refuses a burst at or above the limit", () => {
    expect(() => bucketForLimit({ limit: 5, burst: 5 })).toThrow(/burst/);
  });
});
