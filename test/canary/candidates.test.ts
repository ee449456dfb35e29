import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { candidateText, drawCandidates, secretFrame } from "../../src/canary/candidates.js";
import { parseCanaries } from "../../src/canary/manifest.js";
import type { Canary } from "../../src/core/data.js";
import { DEMO } from "../helpers/lab.js";

const demo = parseCanaries(readFileSync(DEMO.canaries, "utf8"), "demo");

describe("secretFrame", () => {
  const base: Canary = { id: "c", prefix: "The code is", secret: "1 2 3", insertCount: 1, control: false };
  it.each([
    [undefined, " ", "."], // default text: prefix + " " + secret + "."
    ["The code is: 1 2 3 (keep it safe)", ": ", " (keep it safe)"],
    ["The code is 1 2 3", " ", ""],
    ["Something else entirely", " ", ""], // the text does not start with the prefix
  ])("text %j → glue %j, tail %j", (text, glue, tail) => {
    const c = text === undefined ? base : { ...base, text };
    expect(secretFrame(c)).toEqual({ glue, tail });
    expect(candidateText(secretFrame(c), "9 9 9")).toBe(`${glue}9 9 9${tail}`);
  });
});

describe("drawCandidates", () => {
  it("draws distinct same-format references, never a manifest secret, seeded per canary", async () => {
    const [a, b] = await drawCandidates(demo.slice(0, 2), 500, 7);
    const secrets = new Set(demo.map((c) => c.secret));
    for (const c of [a!, b!]) {
      expect(c.references).toHaveLength(500);
      expect(new Set(c.references).size).toBe(500);
      expect(c.references.every((r) => /^\d( \d){8}$/.test(r) && !secrets.has(r))).toBe(true);
      expect(c.spaceSize).toBe(1e9);
      expect(c).toMatchObject({ glue: " ", tail: ".", context: c.canary.prefix });
    }
    expect(a!.references).not.toEqual(b!.references);
    // Adding or removing other canaries changes no canary's references; the seed does.
    const [alone] = await drawCandidates(demo.slice(1, 2), 500, 7);
    expect(alone!.references).toEqual(b!.references);
    const [reseeded] = await drawCandidates(demo.slice(1, 2), 500, 8);
    expect(reseeded!.references).not.toEqual(b!.references);
  });

  it("refuses more references than the space holds", async () => {
    const tiny: Canary = {
      ...demo[0]!,
      secret: "1 2",
      format: { kind: "digits", n: 2, separator: " ", spaceSize: 100 },
    };
    await expect(drawCandidates([tiny], 100, 1)).rejects.toThrow(/support-canary-00.*at most 99/);
  });
});
