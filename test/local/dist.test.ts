import { describe, expect, it } from "vitest";
import { distributionStats, logprobFromLogits } from "../../src/local/dist.js";

describe("distributionStats", () => {
  it.each([
    // uniform over 2: mean = ln 0.5, std 0
    {
      probs: [
        [1, 0.5],
        [2, 0.5],
      ] as const,
      target: 0.5,
      mean: Math.log(0.5),
      std: 0,
      rank: 1,
    },
    // p = (0.75, 0.25): mean = .75 ln .75 + .25 ln .25 = -0.562335; E[lp^2] = .75(.287682^2)+.25(1.386294^2) = 0.542525;
    // var = 0.542525 - 0.316221 = 0.226304 -> std 0.475714
    {
      probs: [
        [1, 0.75],
        [2, 0.25],
      ] as const,
      target: 0.25,
      mean: -0.562335,
      std: 0.475714,
      rank: 2,
    },
    // a zero-probability token contributes nothing but still counts for rank when below the target
    {
      probs: [
        [1, 1],
        [2, 0],
      ] as const,
      target: 0,
      mean: 0,
      std: 0,
      rank: 2,
    },
    // (0.5, 0.3, 0.2): mean = -.346574 - .361192 - .321888 = -1.029653;
    // E[lp^2] = .5(.480453) + .3(1.449551) + .2(2.590290) = 1.193150; var = 1.193150 - 1.060185 = .132965
    {
      probs: [
        [1, 0.5],
        [2, 0.3],
        [3, 0.2],
      ] as const,
      target: 0.2,
      mean: -1.029653,
      std: 0.364643,
      rank: 3,
    },
  ])("mean $mean std $std rank $rank", ({ probs, target, mean, std, rank }) => {
    const got = distributionStats(probs, target);
    expect(got.mean).toBeCloseTo(mean, 5);
    expect(got.std).toBeCloseTo(std, 5);
    expect(got.rank).toBe(rank);
  });
});

describe("logprobFromLogits", () => {
  it.each([
    // logits (2, 1): W = 1 + e^-1 = 1.367879; log p(2) = -ln W = -0.313262; log p(1) = -1 - 0.313262
    { logit: 2, max: 2, w: 1 + Math.exp(-1), want: -0.313262 },
    { logit: 1, max: 2, w: 1 + Math.exp(-1), want: -1.313262 },
    // far below the max: no underflow to -Infinity
    { logit: -200, max: 0, w: 1, want: -200 },
  ])("logit $logit max $max -> $want", ({ logit, max, w, want }) => {
    expect(logprobFromLogits(logit, max, w)).toBeCloseTo(want, 5);
  });
});
