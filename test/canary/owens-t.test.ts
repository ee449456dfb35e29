import { describe, expect, it } from "vitest";
import { normalCdf } from "../../src/canary/normal.js";
import { owensT } from "../../src/canary/owens-t.js";

// Reference values: scipy.special.owens_t.
const TABLE: [h: number, a: number, t: number][] = [
  [0.5, 0.5, 0.06448860284750374],
  [1, 2, 0.07846818699308411],
  [2, 0.3, 0.005928608030898514],
  [0.3, 5, 0.18887156345661174],
  [3, 10, 0.0006749490158150479],
  [-1, 0.7, 0.0549318487005636],
  [1, -2, -0.07846818699308411],
  [5, 1, 1.4332574485503542e-7],
  [0.1, 100, 0.2300860813614855],
];

describe("Owen's T", () => {
  it.each(TABLE)("T(%d, %d) matches scipy", (h, a, t) => {
    expect(Math.abs(owensT(h, a) - t)).toBeLessThan(1e-15);
  });

  it("T(h, 0) = 0", () => {
    for (const h of [-3, 0, 0.7, 8]) expect(owensT(h, 0)).toBe(0);
  });

  it("T(0, a) = atan(a) / 2π", () => {
    for (const a of [0.2, 1, 3, 50]) expect(owensT(0, a)).toBeCloseTo(Math.atan(a) / (2 * Math.PI), 15);
  });

  it("T(h, 1) = ½·Φ(h)·(1 − Φ(h))", () => {
    for (const h of [-2, -0.5, 0.25, 1, 3]) {
      const p = normalCdf(h);
      expect(owensT(h, 1)).toBeCloseTo(0.5 * p * (1 - p), 15);
    }
  });

  it("T(h, ∞) = ½·Q(|h|)", () => {
    expect(owensT(1.5, Number.POSITIVE_INFINITY)).toBeCloseTo(0.5 * normalCdf(-1.5), 15);
  });
});
