import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import {
  aucSorted,
  balancedAccuracy,
  bootstrapInterval,
  empiricalPValue,
  empiricalPValues,
  evaluateScores,
  interpolatedTpr,
  minNonMembers,
  quantile,
  rocAuc,
  rocCurve,
  strictTpr,
  tprAtFpr,
  tprAtFprStrict,
} from "../../src/mia/metrics.js";

const normals = (rng: Rng, n: number, mu: number) => Array.from({ length: n }, () => mu + rng.normal());

describe("rocAuc", () => {
  it.each([
    ["perfect separation", [3, 4], [1, 2], 1],
    ["reversed", [1, 2], [3, 4], 0],
    ["all tied", [1, 1], [1, 1, 1], 0.5],
    // pairs: (3,2)=1 (3,1)=1 (2,2)=½ (2,1)=1 (2,2)=½ (2,1)=1 → 5/6
    ["hand-worked ties", [3, 2, 2], [2, 1], 5 / 6],
    // (2,1)=1 (2,0)=1 (1,1)=½ (1,0)=1 → 3.5/4
    ["doc example", [2, 1], [1, 0], 0.875],
  ])("%s", (_, m, n, auc) => {
    expect(rocAuc(m as number[], n as number[])).toBeCloseTo(auc as number, 12);
  });

  it("equals the trapezoidal area under the curve", () => {
    const rng = new Rng(3);
    const m = normals(rng, 40, 0.7).map((x) => Math.round(x * 2) / 2); // rounding makes ties
    const n = normals(rng, 60, 0).map((x) => Math.round(x * 2) / 2);
    const c = rocCurve(m, n);
    let area = 0;
    for (let k = 1; k < c.length; k++)
      area += ((c[k]!.fpr - c[k - 1]!.fpr) * (c[k]!.tpr + c[k - 1]!.tpr)) / 2;
    expect(rocAuc(m, n)).toBeCloseTo(area, 12);
  });

  it("refuses empty sets and NaN", () => {
    expect(() => rocAuc([], [1])).toThrow(/at least one member and one non-member/);
    expect(() => rocAuc([Number.NaN], [1])).toThrow(/NaN/);
  });
});

describe("rocCurve", () => {
  it("has one point per distinct threshold, ties moving both rates", () => {
    expect(rocCurve([3, 2, 2], [2, 1])).toEqual([
      { threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 },
      { threshold: 3, fpr: 0, tpr: 1 / 3 },
      { threshold: 2, fpr: 0.5, tpr: 1 }, // the tie at 2: both rates jump
      { threshold: 1, fpr: 1, tpr: 1 },
    ]);
  });
});

describe("balanced accuracy", () => {
  it.each([
    ["hand-worked: best at τ = 2, ½(1 + 1 − 0.5)", [3, 2, 2], [2, 1], 0.75],
    ["perfect", [3, 4], [1, 2], 1],
    ["reversed is no better than chance", [1, 2], [3, 4], 0.5],
  ])("%s", (_, m, n, v) => {
    expect(balancedAccuracy(m as number[], n as number[])).toBeCloseTo(v as number, 12);
  });
});

describe("TPR at FPR", () => {
  // Hand-drawn ROC: (0,0) → (0,0.2) → (0.02,0.5) → (0.05,0.6) → (1,1)
  const curve = [
    { threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 },
    { threshold: 5, fpr: 0, tpr: 0.2 },
    { threshold: 4, fpr: 0.02, tpr: 0.5 },
    { threshold: 3, fpr: 0.05, tpr: 0.6 },
    { threshold: 2, fpr: 1, tpr: 1 },
  ];
  it.each([
    [0.01, 0.35, 0.2], // halfway along (0,0.2)–(0.02,0.5)
    [0.02, 0.5, 0.5], // on a point
    [0.03, 0.5 + 0.1 / 3, 0.5], // a third along (0.02,0.5)–(0.05,0.6)
    [0.525, 0.8, 0.6], // halfway along (0.05,0.6)–(1,1)
  ])("α = %f: interpolated %f, strict %f", (alpha, interp, strict) => {
    expect(interpolatedTpr(curve, alpha)).toBeCloseTo(interp, 12);
    expect(strictTpr(curve, alpha)).toBeCloseTo(strict, 12);
  });

  it("takes the top of a vertical segment at exactly α", () => {
    const vertical = [
      { threshold: 9, fpr: 0, tpr: 0 },
      { threshold: 3, fpr: 0.01, tpr: 0.3 },
      { threshold: 2, fpr: 0.01, tpr: 0.6 },
      { threshold: 1, fpr: 1, tpr: 1 },
    ];
    expect(interpolatedTpr(vertical, 0.01)).toBe(0.6);
  });

  it("needs ceil(10/α) non-members", () => {
    expect(minNonMembers(0.01)).toBe(1000);
    expect(minNonMembers(0.001)).toBe(10000);
    expect(minNonMembers(0.05)).toBe(200);
  });

  it("refuses TPR@0.1% (and @1%) with 250 non-members, with a reason", () => {
    const rng = new Rng(1);
    const m = normals(rng, 250, 1);
    const n = normals(rng, 250, 0);
    const r = tprAtFpr(m, n, 0.001);
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/at least 10000 non-members, got 250/);
    expect(tprAtFpr(m, n, 0.01).value).toBeNull();
    expect(tprAtFprStrict(m, n, 0.001).value).toBeNull();
    expect(tprAtFpr(m, n, 0.05).value).toBeGreaterThan(0); // 250 ≥ 200
  });

  it("computes it when there are enough non-members: 1000 → α = 1%", () => {
    const m = [10, 9, 0.5];
    const n = Array.from({ length: 1000 }, (_, i) => i / 1000); // FPR at τ = 0.995 is 5/1000
    expect(tprAtFpr(m, n, 0.01).value).toBeCloseTo(2 / 3, 12);
    expect(tprAtFprStrict(m, n, 0.01).value).toBeCloseTo(2 / 3, 12);
    expect(tprAtFpr(m, n, 0.01, { minNonMembersFactor: 20 }).value).toBeNull();
  });

  it("rejects an α outside (0, 1)", () => {
    expect(() => tprAtFpr([1], [0], 0)).toThrow(/alpha/);
  });
});

describe("bootstrap", () => {
  it("is deterministic, contains the point estimate, and shrinks with more data", () => {
    const rng = new Rng(11);
    const small = [normals(rng, 50, 0.8), normals(rng, 50, 0)] as const;
    const large = [normals(rng, 500, 0.8), normals(rng, 500, 0)] as const;
    const ciSmall = bootstrapInterval(small[0], small[1], aucSorted, new Rng(5));
    const ciLarge = bootstrapInterval(large[0], large[1], aucSorted, new Rng(5));
    if (!ciSmall || !ciLarge) throw new Error("expected intervals");
    const aucSmall = rocAuc(small[0], small[1]);
    const aucLarge = rocAuc(large[0], large[1]);
    expect(ciSmall.low).toBeLessThan(aucSmall);
    expect(ciSmall.high).toBeGreaterThan(aucSmall);
    expect(ciLarge.low).toBeLessThan(aucLarge);
    expect(ciLarge.high).toBeGreaterThan(aucLarge);
    expect(ciLarge.high - ciLarge.low).toBeLessThan((ciSmall.high - ciSmall.low) / 2); // ≈ 1/√10
    expect(bootstrapInterval(small[0], small[1], aucSorted, new Rng(5))).toEqual(ciSmall);
    expect(ciSmall.resamples).toBe(1000);
  });

  it("a perfectly separated set has the degenerate interval [1, 1]", () => {
    expect(bootstrapInterval([3, 4], [1, 2], aucSorted, new Rng(0), { resamples: 50 })).toEqual({
      low: 1,
      high: 1,
      resamples: 50,
    });
  });

  it("is null when the statistic is refused", () => {
    expect(bootstrapInterval([1], [0], () => null, new Rng(0), { resamples: 3 })).toBeNull();
  });

  it("quantile interpolates like numpy", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12); // pos 0.075
  });
});

describe("empirical p-values", () => {
  it.each([
    [5, 0.6], // (1 + #{1,2,5,7 ≥ 5} = 2) / 5
    [8, 0.2], // nothing at or above: 1/5
    [0, 1], // everything: 5/5
    [2, 0.8], // {2, 5, 7}: 4/5
  ])("score %f → %f", (s, p) => {
    expect(empiricalPValue(s, [1, 2, 5, 7])).toBeCloseTo(p, 12);
  });

  it("batch form agrees", () => {
    expect(empiricalPValues([5, 8, 0, 2], [7, 5, 2, 1])).toEqual([0.6, 0.2, 1, 0.8]);
  });
});

describe("evaluateScores", () => {
  it("drops nulls, reports AUC with an interval, and refuses small-sample TPRs", () => {
    const r = evaluateScores([3, 2, 2, null], [2, 1, null], new Rng(0), {
      resamples: 200,
      alphas: [0.5, 0.01],
      minNonMembersFactor: 1, // α = 0.5 needs 2 non-members, α = 0.01 needs 100
    });
    expect(r.skipped).toBe(2);
    expect(r.auc).toBeCloseTo(5 / 6, 12);
    expect(r.balancedAccuracy).toBe(0.75);
    expect(r.aucInterval?.low).toBeLessThanOrEqual(r.auc);
    expect(r.tprAtFpr[0]?.tpr.value).toBe(1); // α = 0.5 is the curve point (0.5, 1)
    expect(r.tprAtFpr[0]?.interval).not.toBeNull();
    expect(r.tprAtFpr[1]?.tpr.reason).toMatch(/at least 100 non-members, got 2/);
    expect(r.tprAtFpr[1]?.interval).toBeNull();
  });
});
