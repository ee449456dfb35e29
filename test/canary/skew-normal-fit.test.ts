import { describe, expect, it } from "vitest";
import { nelderMead } from "../../src/canary/nelder-mead.js";
import { type SkewNormal, skewNormalDraw } from "../../src/canary/skew-normal.js";
import { fitSkewNormal, momentStart } from "../../src/canary/skew-normal-fit.js";
import { Rng } from "../../src/core/rng.js";

function draw(d: SkewNormal, n: number, seed: number): number[] {
  const rng = new Rng(seed, "skew-normal");
  return Array.from({ length: n }, () => skewNormalDraw(() => rng.normal(), d));
}

describe("Nelder–Mead", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const r = nelderMead(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [-1.2, 1], { maxIter: 2000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it("treats a non-finite objective as a wall", () => {
    const r = nelderMead(([x]) => (x! < 0.5 ? Number.NaN : (x! - 2) ** 2), [1]);
    expect(r.x[0]).toBeCloseTo(2, 4);
  });
});

describe("skew-normal MLE fit", () => {
  it("starts from the moments: zero skewness is a normal", () => {
    expect(momentStart(0)).toEqual({ shape: 0, loc: -0, scale: 1 });
    expect(momentStart(0.5).shape).toBeGreaterThan(0);
    expect(momentStart(-0.5).shape).toBeLessThan(0);
  });

  it.each([
    [4, 2, 3],
    [-3, -1, 0.5],
  ])("recovers α=%d, ξ=%d, ω=%d from 5000 draws", (shape, loc, scale) => {
    const fit = fitSkewNormal(draw({ shape, loc, scale }, 5000, 11));
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.shape - shape)).toBeLessThan(0.2 * Math.abs(shape));
    expect(Math.abs(fit.loc - loc)).toBeLessThan(0.05 * scale);
    expect(Math.abs(fit.scale - scale)).toBeLessThan(0.05 * scale);
  });

  it("matches scipy.stats.skewnorm.fit on the same sample (α=4, ξ=2, ω=3, n=2000, seed 7)", () => {
    // scipy 1.17 on this exact sample: (4.603946605, 2.031187139, 2.961183332), nnlf 3927.86304097.
    const rng = new Rng(7, "fit");
    const xs = Array.from({ length: 2000 }, () =>
      skewNormalDraw(() => rng.normal(), { shape: 4, loc: 2, scale: 3 }),
    );
    const fit = fitSkewNormal(xs);
    expect(fit.shape).toBeCloseTo(4.603946605, 3);
    expect(fit.loc).toBeCloseTo(2.031187139, 4);
    expect(fit.scale).toBeCloseTo(2.961183332, 4);
    expect(-fit.meanLogLik * 2000).toBeCloseTo(3927.86304097, 4);
  });

  it("refuses too few or constant values", () => {
    expect(() => fitSkewNormal([1, 2])).toThrow(/at least 3 finite values/);
    expect(() => fitSkewNormal([4, 4, 4, 4])).toThrow(/spread/);
    expect(() => fitSkewNormal([1, 2, Number.NaN])).toThrow(/finite/);
  });
});
