import { describe, expect, it } from "vitest";
import { binomialCdf, emissionEstimate } from "../../src/canary/emission.js";
import { extrapolatedExposure, interpolatedExposure, meanNll } from "../../src/canary/exposure.js";
import { skewNormalDraw, skewNormalLogCdf } from "../../src/canary/skew-normal.js";
import { Rng } from "../../src/core/rng.js";

describe("interpolated exposure (tf-privacy semantics)", () => {
  const refs = [2, 3, 3, 4, 5, 6, 7, 8]; // N = 8, ceiling 3 bits
  it.each([
    // secret, rank, exposure
    [1, 1, 3], // better than every reference: saturates at log2 N
    [2.5, 2, 2], // one reference below
    [3, 4, 1], // ties count against the secret: 2, 3, 3 are ≤ 3
    [4.5, 5, 3 - Math.log2(5)],
    [8, 9, 3 - Math.log2(9)], // no better than any: just below 0
    [100, 9, 3 - Math.log2(9)],
  ])("secret %d → rank %d, exposure %d", (secret, rank, exposure) => {
    const got = interpolatedExposure(secret, refs);
    expect(got.rank).toBe(rank);
    expect(got.exposure).toBeCloseTo(exposure, 12);
    expect(got.ceiling).toBe(3);
  });

  it("a secret worse than all has exposure ≈ 0 (log2 N − log2(N+1))", () => {
    const refs1000 = Array.from({ length: 1000 }, (_, i) => i);
    expect(interpolatedExposure(5000, refs1000).exposure).toBeCloseTo(0, 2);
    expect(interpolatedExposure(5000, refs1000).exposure).toBeLessThan(0);
  });

  it("refuses empty references and non-finite values", () => {
    expect(() => interpolatedExposure(1, [])).toThrow(/at least one reference/);
    expect(() => interpolatedExposure(Number.NaN, [1])).toThrow(/finite/);
    expect(() => interpolatedExposure(1, [1, Number.POSITIVE_INFINITY])).toThrow(/index 1/);
  });
});

describe("extrapolated exposure", () => {
  const rng = new Rng(3, "refs");
  // References ~ SN(α=2, ξ=3, ω=0.5): mean per-token NLL of random 9-digit secrets.
  const refs = Array.from({ length: 1000 }, () =>
    skewNormalDraw(() => rng.normal(), { shape: 2, loc: 3, scale: 0.5 }),
  );

  it("goes beyond log2 N only when the fitted tail says so", () => {
    const best = Math.min(...refs);
    const inside = extrapolatedExposure(best, refs);
    expect(inside.exposure).toBeGreaterThan(5);
    expect(inside.exposure).toBeLessThan(20);
    // A secret far below every reference: the fit puts it tens of bits out, finite, not Infinity.
    const far = extrapolatedExposure(0.2, refs);
    expect(Number.isFinite(far.exposure)).toBe(true);
    expect(far.exposure).toBeGreaterThan(interpolatedExposure(0.2, refs).ceiling);
    expect(far.exposure).toBeGreaterThan(60);
  });

  it("equals −log2 of the fitted CDF (α = 0 fit on a symmetric sample reads like Φ)", () => {
    const sym = [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3];
    const e = extrapolatedExposure(-10, sym);
    expect(e.exposure).toBeGreaterThan(20);
    expect(e.fit.shape).toBeCloseTo(0, 1);
  });

  it("a secret worse than all has small exposure", () => {
    const e = extrapolatedExposure(Math.max(...refs) + 1, refs);
    expect(e.exposure).toBeGreaterThanOrEqual(0);
    expect(e.exposure).toBeLessThan(0.01);
  });

  it("reuses a given fit", () => {
    const first = extrapolatedExposure(2, refs);
    expect(extrapolatedExposure(2, [], first.fit).exposure).toBe(first.exposure);
  });
});

describe("worked cases: both estimators against their definitions", () => {
  it("ties count against the secret: all references equal → rank N+1; equal to the best → rank 2", () => {
    expect(interpolatedExposure(5, [5, 5, 5, 5])).toEqual({
      rank: 5,
      exposure: 2 - Math.log2(5),
      ceiling: 2,
    });
    expect(interpolatedExposure(1, [1, 2, 3, 4])).toEqual({ rank: 2, exposure: 1, ceiling: 2 });
    expect(interpolatedExposure(0.999, [1, 2, 3, 4])).toEqual({ rank: 1, exposure: 2, ceiling: 2 });
  });

  // 4,000 references from N(0, 1): the fit is close to the truth, so extrapolation ≈ −log2 Φ(x).
  const rng = new Rng(11, "normal-refs");
  const refs = Array.from({ length: 4000 }, () => rng.normal());
  const N = refs.length;
  const fit = extrapolatedExposure(0, refs).fit;
  const quantile = (q: number): number => {
    let lo = -40;
    let hi = 40;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (skewNormalLogCdf(mid, { shape: 0, loc: 0, scale: 1 }) < Math.log(q)) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };

  it.each([
    // true tail mass q of the secret, expected bits −log2 q
    [0.5, 1],
    [1 / 8, 3],
    [1 / 64, 6],
  ])("inside the references (q = %d) both estimators read about −log2 q = %d bits", (q, bits) => {
    const x = quantile(q);
    expect(interpolatedExposure(x, refs).exposure).toBeCloseTo(bits, 0);
    expect(extrapolatedExposure(x, refs, fit).exposure).toBeCloseTo(bits, 0);
  });

  it("beyond every reference: interpolation stops at log2 N, extrapolation follows the fitted tail", () => {
    for (const extraBits of [2, 10, 40]) {
      const x = quantile(2 ** -(Math.log2(N) + extraBits));
      expect(interpolatedExposure(x, refs)).toMatchObject({ rank: 1, exposure: Math.log2(N) });
      const e = extrapolatedExposure(x, refs, fit).exposure;
      // Near the true −log2 Φ(x): the fit says how far past log2 N. (The skew-normal likelihood is flat
      // near α = 0: on these normal draws the MLE finds α ≈ 0.6, so deep tails read up to ~10% high.)
      expect(e).toBeGreaterThan(Math.log2(N) + 0.9 * extraBits);
      expect(e / (Math.log2(N) + extraBits)).toBeLessThan(1.15);
    }
  });

  it("is exactly −log2 of the fitted CDF (floored at 0)", () => {
    for (const x of [-6, -2, 0, 1.5, 9]) {
      const want = Math.max(0, -skewNormalLogCdf(x, fit) / Math.LN2);
      expect(extrapolatedExposure(x, refs, fit).exposure).toBeCloseTo(want, 12);
    }
  });
});

describe("mean NLL unit", () => {
  it("is −mean natural-log probability", () => {
    expect(meanNll([-0.1, -2.3])).toBeCloseTo(1.2, 15);
    expect(() => meanNll([])).toThrow(/at least one/);
  });
});

describe("generation-only emission estimate", () => {
  it.each([
    // k, n, exact one-sided 95% upper bound (scipy beta.ppf(0.95, k+1, n−k))
    [0, 100, 0.029513049607039925],
    [1, 10, 0.39416330243650466],
    [5, 50, 0.19883300251641847],
    [0, 1, 0.95],
    [3, 1000, 0.007735244718479458],
  ])("k=%d of n=%d → upper %d", (k, n, upper) => {
    const e = emissionEstimate(k, n);
    expect(e.rate).toBe(k / n);
    expect(e.upper).toBeCloseTo(upper, 10);
    expect(e.confidence).toBe(0.95);
  });

  it("k = 0 is close to the rule of three; k = n is 1", () => {
    expect(emissionEstimate(0, 300).upper).toBeCloseTo(3 / 300, 3);
    expect(emissionEstimate(7, 7).upper).toBe(1);
  });

  it("binomial CDF table", () => {
    expect(binomialCdf(0, 10, 0.5)).toBeCloseTo(1 / 1024, 15);
    expect(binomialCdf(5, 10, 0.5)).toBeCloseTo(638 / 1024, 14);
  });

  it("refuses impossible counts", () => {
    expect(() => emissionEstimate(3, 2)).toThrow(/emissions/);
    expect(() => emissionEstimate(0, 0)).toThrow(/samples/);
  });
});
