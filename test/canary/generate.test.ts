import { describe, expect, it } from "vitest";
import { digitsFormat } from "../../src/canary/format-digits.js";
import { patternFormat } from "../../src/canary/format-pattern.js";
import { generateCanaries } from "../../src/canary/generate.js";

describe("generateCanaries", () => {
  const canaries = generateCanaries({ count: 10, seed: 7 });

  it("makes planted canaries with the intended insert counts, then controls", () => {
    expect(canaries).toHaveLength(12);
    expect(canaries.map((c) => c.insertCount)).toEqual([1, 2, 4, 8, 16, 1, 2, 4, 8, 16, 0, 0]);
    expect(canaries.map((c) => c.control)).toEqual([...new Array(10).fill(false), true, true]);
    expect(canaries[0]!.id).toBe("canary-00");
    expect(canaries[11]!.id).toBe("canary-11");
  });

  it("draws distinct secrets and prefixes, with text = prefix + secret", () => {
    expect(new Set(canaries.map((c) => c.secret)).size).toBe(12);
    expect(new Set(canaries.map((c) => c.prefix)).size).toBe(12);
    for (const c of canaries) {
      expect(c.secret).toMatch(/^\d( \d){8}$/);
      expect(c.text).toBe(`${c.prefix} ${c.secret}.`);
      expect(c.prefix).not.toMatch(/\{|\}/);
      expect(c.format).toMatchObject({ kind: "digits", spaceSize: 1e9 });
    }
  });

  it("is reproducible from the seed and changes with it", () => {
    expect(generateCanaries({ count: 10, seed: 7 })).toEqual(canaries);
    expect(generateCanaries({ count: 10, seed: 8 })[0]!.secret).not.toBe(canaries[0]!.secret);
  });

  it("cycles formats, templates and insert counts as given", () => {
    const mixed = generateCanaries({
      count: 4,
      controls: 1,
      formats: [digitsFormat(4, ""), patternFormat("AA-##")],
      insertCounts: [3],
      prefixTemplates: ["the code is", "{name}'s key is"],
      seed: 1,
      idPrefix: "t",
    });
    expect(mixed.map((c) => c.format?.kind)).toEqual(["digits", "pattern", "digits", "pattern", "digits"]);
    expect(mixed.map((c) => c.insertCount)).toEqual([3, 3, 3, 3, 0]);
    expect(mixed[0]!.prefix).toBe("the code is");
    expect(mixed[1]!.prefix).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+'s key is$/);
    expect(mixed[1]!.secret).toMatch(/^[A-Z]{2}-\d\d$/);
    expect(mixed[0]!.id).toBe("t-00");
  });

  it("refuses bad options", () => {
    expect(() => generateCanaries({ count: -1 })).toThrow(/count/);
    expect(() => generateCanaries({ count: 2, insertCounts: [0] })).toThrow(/insertCounts/);
    expect(() => generateCanaries({ count: 200, formats: [digitsFormat(2, "")] })).toThrow(
      /at most 100 distinct/,
    );
  });
});
