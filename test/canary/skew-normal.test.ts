import { describe, expect, it } from "vitest";
import { skewNormalCdf, skewNormalLogCdf, skewNormalLogPdf } from "../../src/canary/skew-normal.js";

const std = (shape: number) => ({ shape, loc: 0, scale: 1 });

// CDF reference values: mpmath (40 digits) integrating 2φ(t)Φ(αt) from −∞ to z.
const CDF: [shape: number, z: number, cdf: number][] = [
  [0, -1, 0.15865525393145707],
  [0, -3, 0.0013498980316300933],
  [0, 0.5, 0.6914624612740131],
  [2, -1, 0.0017188799452888814],
  [2, 0, 0.14758361765043326],
  [2, 0.5, 0.4083012539660563],
  [2, 2, 0.9545000504654456],
  [-3, -3, 0.00269979606326019],
  [-3, -1, 0.31725426342920227],
  [-3, 0, 0.8975836176504333],
  [-3, 0.5, 0.99363054742605],
];

// Deep left tails, log CDF: mpmath (40 digits); where the direct form Φ − 2T would cancel.
const LOG_TAIL: [shape: number, z: number, logCdf: number][] = [
  [0, -10, -53.23128515051247],
  [0, -12, -75.41067300156877],
  [2, -3, -28.21144295604376],
  [2, -5, -69.1914392064736],
  [1, -8, -70.0268743198291],
  [5, -3, -125.2222888146686],
  [10, -1, -58.59126338497622],
  [-3, -10, -52.53813796995252],
  [3, -20, -2010.538168886894],
];

describe("skew-normal distribution", () => {
  it.each(CDF)("CDF(α=%d, z=%d) matches", (shape, z, cdf) => {
    expect(Math.abs(skewNormalCdf(z, std(shape)) / cdf - 1)).toBeLessThan(1e-12);
  });

  it("α = 0 reduces to Φ: Φ(−10) = 7.62e−24", () => {
    expect(skewNormalCdf(-10, std(0))).toBeCloseTo(7.61985302416047e-24, 35);
  });

  it.each(LOG_TAIL)("log CDF(α=%d, z=%d) is finite and right in the far tail", (shape, z, logCdf) => {
    const got = skewNormalLogCdf(z, std(shape));
    expect(Math.abs(got - logCdf)).toBeLessThan(1e-10 * Math.abs(logCdf));
  });

  it("is continuous where it switches from the direct form to log-space integration", () => {
    const d = std(2);
    // The switch sits near CDF = 1e-6 (z ≈ −1.93 for α = 2); scan across it.
    for (let z = -2.1; z < -1.8; z += 0.01) {
      const a = skewNormalLogCdf(z, d);
      const b = skewNormalLogCdf(z + 1e-7, d);
      expect(b - a).toBeGreaterThan(0);
      expect(b - a).toBeLessThan(1e-5);
    }
  });

  it("applies location and scale", () => {
    expect(skewNormalCdf(7, { shape: 2, loc: 5, scale: 4 })).toBeCloseTo(0.4083012539660563, 14);
    expect(skewNormalLogPdf(5, { shape: 2, loc: 5, scale: 4 })).toBeCloseTo(
      Math.log((2 * 0.3989422804014327 * 0.5) / 4),
      14,
    );
  });

  it("is near 1 with an accurate log in the right tail", () => {
    expect(skewNormalLogCdf(2, std(-3))).toBeCloseTo(-5.0891e-12, 15);
  });
});
