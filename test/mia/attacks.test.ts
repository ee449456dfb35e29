import { describe, expect, it } from "vitest";
import {
  ATTACKS,
  createMinK,
  createMinKPlusPlus,
  findAttack,
  lossAttack,
  lowercaseAttack,
  minKAttack,
  minKPlusPlusAttack,
  neighbourAttack,
  pvAttack,
  referenceAttack,
  spvAttack,
  topMoments,
  zlibAttack,
  zlibBytes,
} from "../../src/mia/attacks/index.js";
import type { AttackInput } from "../../src/mia/types.js";
import { scored } from "./fixtures.js";

// Target: ℓ = [-1, -2, censored, -3, -0.5] → uncensored mean LL = -6.5/4 = -1.625, L = 1.625.
const target = scored([-1, -2, null, -3, -0.5]);
const lowercase = scored([-2, -3, -4, -1]); // L = 10/4 = 2.5
const reference = scored([-2, -2, -2]); // LL = -2
const perturbed = [scored([-2, -2]), scored([-3, -3])]; // L = 2 and 3
const referencePerturbed = [scored([-2.5])]; // L = 2.5
const full: AttackInput = { target, lowercase, reference, perturbed, referencePerturbed };
const allCensored: AttackInput = {
  target: scored([null, null]),
  lowercase: scored([null]),
  reference: scored([null]),
  perturbed: [scored([null])],
  referencePerturbed: [scored([null])],
};

describe("attack scores (hand-checked)", () => {
  const table: [string, number][] = [
    ["loss", -1.625], // mean of uncensored ℓ
    ["zlib", -1.625 / 19], // zlib("hello world") = 19 bytes → -0.0855263
    ["lowercase", 2.5 / 1.625], // L(lower)/L(x) = 1.5384615
    ["min-k", -3], // n = 4, ⌊0.2·4⌋ = 0 → at least 1 → lowest ℓ = -3
    ["reference", 0.375], // -1.625 − (−2)
    ["neighbour", 0.875], // mean(2, 3) − 1.625
    // −PV = e^−1.625 − mean(e^−2, e^−3) = 0.1969117 − 0.0925612 = 0.1043505
    ["pv", Math.exp(-1.625) - (Math.exp(-2) + Math.exp(-3)) / 2],
    // PV_ref − PV_target = (e^−2.5 − e^−2) − (−0.1043505) = −0.0532503 + 0.1043505 = 0.0511002
    ["spv", Math.exp(-2.5) - Math.exp(-2) + (Math.exp(-1.625) - (Math.exp(-2) + Math.exp(-3)) / 2)],
  ];
  it.each(table)("%s", (id, expected) => {
    const attack = findAttack(id);
    expect(attack).toBeDefined();
    expect(attack?.score(full)).toBeCloseTo(expected, 12);
    expect(attack?.scoreDetailed(full)).toEqual({ score: attack?.score(full), approximate: false });
  });

  it("spells the pv / spv numbers out", () => {
    expect(pvAttack.score(full)).toBeCloseTo(0.1043505, 6);
    expect(spvAttack.score(full)).toBeCloseTo(0.0511002, 6);
  });

  it("min-k with other k: ⌊0.5·4⌋ = 2 lowest → (−3 − 2)/2 = −2.5; k = 1 is the mean", () => {
    expect(createMinK(0.5).score(full)).toBe(-2.5);
    expect(createMinK(1).score(full)).toBe(-1.625);
    expect(createMinK(0.5).id).toBe("min-k-50");
    expect(minKAttack.id).toBe("min-k");
    expect(() => createMinK(0)).toThrow(/fraction in \(0, 1\]/);
  });
});

describe("min-k-plus-plus", () => {
  // z = (ℓ − μ)/σ: (−1+2)/1 = 1, (−2+2)/0.5 = 0, (−3+1)/1 = −2, (−0.5+1)/0.25 = 2
  const moments = [
    { mean: -2, std: 1 },
    { mean: -2, std: 0.5 },
    { mean: -1, std: 1 },
    { mean: -1, std: 0.25 },
  ];
  const withMoments = scored(
    [-1, -2, -3, -0.5],
    "x",
    moments.map((m) => ({ moments: m })),
  );

  it("takes the lowest k% of z (exact moments)", () => {
    expect(minKPlusPlusAttack.scoreDetailed({ target: withMoments })).toEqual({
      score: -2,
      approximate: false,
    });
    expect(createMinKPlusPlus(0.5).score({ target: withMoments })).toBe(-1); // (−2 + 0)/2
  });

  it("approximates from top-k and says so", () => {
    // top {0.5, 0.25}, tail 0.25 lumped at log 0.25 → two-point law: μ = −1.5 ln2, σ = 0.5 ln2;
    // ℓ = log 0.25 = −2 ln2 → z = (−2 + 1.5)/0.5 = −1
    const top = [
      { token: "a", logprob: Math.log(0.5) },
      { token: "b", logprob: Math.log(0.25) },
    ];
    const m = topMoments(top);
    expect(m?.mean).toBeCloseTo(-1.5 * Math.LN2, 12);
    expect(m?.std).toBeCloseTo(0.5 * Math.LN2, 12);
    const t = scored([Math.log(0.25)], "x", [{ top }]);
    const r = minKPlusPlusAttack.scoreDetailed({ target: t });
    expect(r?.approximate).toBe(true);
    expect(r?.score).toBeCloseTo(-1, 12);
  });

  it("skips tokens with σ = 0 or no distribution; null when none is left", () => {
    const t = scored([-1, -2], "x", [{ moments: { mean: -1, std: 0 } }, {}]);
    expect(minKPlusPlusAttack.score({ target: t })).toBeNull();
  });
});

describe("nulls, never NaN", () => {
  it.each(ATTACKS.map((a) => [a.id, a] as const))("%s is null when every token is censored", (_, attack) => {
    expect(attack.score(allCensored)).toBeNull();
    expect(attack.scoreDetailed(allCensored)).toBeNull();
  });

  it("attacks that need more inputs are null without them", () => {
    const bare = { target };
    expect(lowercaseAttack.score(bare)).toBeNull();
    expect(referenceAttack.score(bare)).toBeNull();
    expect(neighbourAttack.score(bare)).toBeNull();
    expect(pvAttack.score({ target, perturbed: [] })).toBeNull();
    expect(spvAttack.score({ target, reference, perturbed })).toBeNull();
    expect(lossAttack.score(bare)).toBe(-1.625);
  });

  it("lowercase is null when L(x) = 0 (ratio undefined)", () => {
    expect(lowercaseAttack.score({ target: scored([0, 0]), lowercase })).toBeNull();
  });

  it("a non-finite result becomes null", () => {
    expect(lossAttack.score({ target: scored([Number.NEGATIVE_INFINITY, -1]) })).toBeNull();
  });

  it("every registered attack has a unique kebab-case id and a summary", () => {
    const ids = ATTACKS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ATTACKS) {
      expect(a.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(a.summary.length).toBeGreaterThan(10);
    }
  });
});

describe("zlibBytes", () => {
  // Python: len(zlib.compress(s.encode())) for each s (zlib 1.2.13, level 6)
  it.each([
    ["hello world", 19],
    ["", 8],
    ["a", 9],
    ["a".repeat(50), 12],
    ["héllo wörld ✓", 26],
  ])("%j → %i bytes", (s, n) => {
    expect(zlibBytes(s)).toBe(n);
  });

  it("zlib attack divides by those bytes", () => {
    expect(zlibAttack.score({ target: scored([-2], "a") })).toBeCloseTo(-2 / 9, 12);
  });
});
