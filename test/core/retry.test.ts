import { describe, expect, it } from "vitest";
import { TargetError } from "../../src/core/errors.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelay, validateRetryPolicy } from "../../src/core/retry.js";

const policy = DEFAULT_RETRY_POLICY;

describe("backoffDelay (full jitter)", () => {
  // Hand-checked: ceiling = min(20000, 500 * 2^retry); delay = ceiling * u.
  it.each([
    [0, 0.5, 250],
    [1, 0.5, 500],
    [3, 0.5, 2000],
    [5, 0.999, 15_984],
    [6, 0.5, 10_000],
    [20, 0.5, 10_000],
    [2, 0, 0],
  ])("retry %d, u=%d -> %d ms", (retry, u, expected) => {
    expect(backoffDelay(retry, policy, () => u)).toBeCloseTo(expected, 6);
  });

  it("stays within [0, ceiling) for many draws", () => {
    for (let retry = 0; retry < 8; retry++) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(retry, policy, Math.random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });
});

describe("retryDelay", () => {
  it("honours the server's Retry-After", () => {
    const err = new TargetError("rate_limit", "429", { status: 429, retryAfterMs: 3000 });
    expect(retryDelay(err, 0, policy, () => 0.9)).toBe(3000);
  });

  it("caps a long Retry-After", () => {
    const err = new TargetError("rate_limit", "429", { status: 429, retryAfterMs: 3_600_000 });
    expect(retryDelay(err, 0, policy, () => 0.9)).toBe(60_000);
    expect(retryDelay(err, 0, { ...policy, maxRetryAfterMs: 5000 }, () => 0.9)).toBe(5000);
  });

  it("falls back to backoff without Retry-After", () => {
    const err = new TargetError("server", "500", { status: 500 });
    expect(retryDelay(err, 2, policy, () => 0.25)).toBe(500);
  });
});

describe("validateRetryPolicy", () => {
  it("names the bad field", () => {
    expect(() => validateRetryPolicy({ ...policy, maxTries: 0 })).toThrow(/maxTries.*got 0/);
    expect(() => validateRetryPolicy({ ...policy, baseDelayMs: -1 })).toThrow(/baseDelayMs.*got -1/);
  });
});
