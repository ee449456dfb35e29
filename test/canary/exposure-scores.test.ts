import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoresToRows } from "../../src/canary/exposure-rows.js";
import { exposureFromScores, parseScores, readScores } from "../../src/canary/exposure-scores.js";
import { ConfigError } from "../../src/core/errors.js";
import { ROOT } from "../helpers/lab.js";

describe("exposureFromScores", () => {
  it("computes both estimators for every canary of a scores file", async () => {
    const input = await readScores(join(ROOT, "test/fixtures/canary/scores.json"));
    const results = exposureFromScores(input);
    expect(results.map((r) => r.id)).toEqual(["c-16", "c-1", "ctrl", "own"]);
    const [c16, c1, ctrl, own] = results as [
      (typeof results)[0],
      (typeof results)[0],
      (typeof results)[0],
      (typeof results)[0],
    ];
    // 200 shared references around 2.3 ± 0.25: the 16-copy canary beats all of them.
    expect(c16.references).toBe(200);
    expect(c16.interpolation.rank).toBe(1);
    expect(c16.interpolation.exposure).toBeCloseTo(Math.log2(200), 12);
    expect(c16.extrapolation!.exposure).toBeGreaterThan(Math.log2(200));
    // Shared references are fitted once.
    expect(c1.extrapolation!.fit).toBe(c16.extrapolation!.fit);
    expect(c1.interpolation.exposure).toBeGreaterThan(0);
    expect(c1.interpolation.exposure).toBeLessThan(c16.interpolation.exposure);
    expect(ctrl.control).toBe(true);
    expect(ctrl.interpolation.exposure).toBeLessThan(2);
    // Own references: 5 values; the secret beats all → log2 5.
    expect(own.control).toBe(false);
    expect(own.interpolation).toEqual({ rank: 1, exposure: Math.log2(5), ceiling: Math.log2(5) });
  });

  it("reports why extrapolation is impossible instead of failing", () => {
    const [r] = exposureFromScores({
      canaries: [
        { id: "x", insertCount: 1, control: false, secretPerplexity: 1, referencePerplexities: [2, 2, 2] },
      ],
    });
    expect(r!.extrapolation).toBeNull();
    expect(r!.extrapolationError).toMatch(/spread/);
    expect(r!.interpolation.rank).toBe(1);
  });
});

describe("scores as report rows", () => {
  it("caps extrapolation at log2 of a given space size and keeps the uncapped value", () => {
    const refs = [2.4, 2.2, 2.6, 2.3, 2.5, 2.45, 2.35, 2.1];
    const input = parseScores(
      {
        unit: "total-nll-nats",
        spaceSize: 1000,
        referencePerplexities: refs,
        canaries: [
          { id: "far", insertCount: 16, secretPerplexity: 0.01 },
          { id: "ctrl", insertCount: 0, secretPerplexity: 2.4 },
          { id: "own", insertCount: 1, secretPerplexity: 0.01, spaceSize: 1e9 },
        ],
      },
      "s.json",
    );
    const [far, ctrl, own] = scoresToRows(exposureFromScores(input));
    expect(far!.spaceBits).toBeCloseTo(Math.log2(1000), 12);
    expect(far!.exposureExtrapolatedRaw!).toBeGreaterThan(Math.log2(1000));
    expect(far!.exposureExtrapolated).toBeCloseTo(Math.log2(1000), 12);
    expect(ctrl).toMatchObject({ control: true, rank: 6 }); // 2.1, 2.2, 2.3, 2.35, 2.4 are ≤ 2.4
    // A canary's own spaceSize wins over the top-level one.
    expect(own!.spaceBits).toBeCloseTo(Math.log2(1e9), 12);
    expect(own!.exposureExtrapolated).toBe(Math.min(own!.exposureExtrapolatedRaw!, own!.spaceBits!));
  });
});

describe("parseScores", () => {
  it.each([
    [[], /\(top level\): expected `\(document\)` to be a JSON object/],
    [{ canaries: [] }, /expected `canaries` to be a non-empty array/],
    [
      { unit: "bits", canaries: [{}] },
      /expected `unit` to be "mean-nll-nats" or "total-nll-nats", got "bits"/,
    ],
    [
      { canaries: [{ id: "a", insertCount: 1, secretPerplexity: 1 }] },
      /canaries\[0\]: expected `referencePerplexities`/,
    ],
    [
      { canaries: [{ id: "a", insertCount: 1, secretPerplexity: "1", referencePerplexities: [1] }] },
      /canaries\[0\]: expected `secretPerplexity` to be a finite number, got "1"/,
    ],
    [
      { canaries: [{ id: "a", insertCount: 1, secretPerplexity: 1, referencePerplexities: [1, null] }] },
      /`referencePerplexities` to be an array of finite numbers/,
    ],
  ])("rejects %j", (value, message) => {
    expect(() => parseScores(value, "s.json")).toThrow(ConfigError);
    expect(() => parseScores(value, "s.json")).toThrow(message);
  });

  it("refuses an unreadable file", async () => {
    await expect(readScores(join(ROOT, "nope.json"))).rejects.toThrow(/Expected a readable scores JSON file/);
  });
});
