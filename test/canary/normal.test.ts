import { describe, expect, it } from "vitest";
import { logNormalCdf, normalCdf, normalSf } from "../../src/canary/normal.js";

// Reference values: scipy.stats.norm / mpmath at 40 digits.
const TABLE: [x: number, cdf: number, logCdf: number][] = [
  [-1, 0.15865525393145707, -1.8410216450092634],
  [-2, 0.022750131948179195, -3.7831843336820317],
  [-3, 0.0013498980316300933, -6.60772622151035],
  [-5, 2.866515718791933e-7, -15.064998393988727],
  [-10, 7.61985302416047e-24, -53.23128515051248],
  [-20, 2.7536241186061556e-89, -203.9171553710973],
  [0, 0.5, -Math.LN2],
  [0.5, 0.6914624612740131, -0.36894641528865635],
  [3, 0.9986501019683699, -0.0013508099647481925],
];

describe("normal distribution", () => {
  it.each(TABLE)("Φ(%d) and log Φ match reference values", (x, cdf, logCdf) => {
    expect(normalCdf(x)).toBeCloseTo(cdf, 15);
    expect(Math.abs(normalCdf(x) / cdf - 1)).toBeLessThan(1e-13);
    expect(Math.abs(logNormalCdf(x) - logCdf)).toBeLessThan(1e-12 * Math.max(1, Math.abs(logCdf)));
  });

  it("keeps log Φ finite where Φ underflows", () => {
    expect(logNormalCdf(-38)).toBeCloseTo(-726.5572160188201, 9);
    expect(logNormalCdf(-1000)).toBeLessThan(-500000);
    expect(Number.isFinite(logNormalCdf(-1000))).toBe(true);
  });

  it("is symmetric: Φ(x) + Q(x) = 1", () => {
    for (const x of [-4, -1.5, 0.3, 2.5]) expect(normalCdf(x) + normalSf(x)).toBeCloseTo(1, 15);
  });
});
