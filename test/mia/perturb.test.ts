import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { perturb } from "../../src/mia/perturb.js";

const text =
  "Hi team, my card ending 4242 was charged twice for the same order on Monday. Please refund the duplicate charge to my account as soon as you can.";
const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe("perturb", () => {
  it("gives N copies, none equal to the original, deterministic under a seed", () => {
    const a = perturb(text, new Rng(42), { copies: 10 });
    expect(a).toHaveLength(10);
    for (const p of a) expect(p).not.toBe(text);
    expect(perturb(text, new Rng(42), { copies: 10 })).toEqual(a);
    expect(perturb(text, new Rng(43), { copies: 10 })).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(5);
  });

  it("does not depend on the order texts are perturbed in", () => {
    const rng = new Rng(7);
    const first = perturb(text, rng, { copies: 3 });
    perturb("something else entirely", rng);
    expect(perturb(text, new Rng(7), { copies: 3 })).toEqual(first);
  });

  it("edits about 15% of the words and keeps the length roughly", () => {
    const n = words(text).length; // 29 words → round(4.35) = 4 edits per copy
    for (const p of perturb(text, new Rng(1), { copies: 20 })) {
      const w = words(p);
      expect(w.length).toBeGreaterThanOrEqual(n - 4);
      expect(w.length).toBeLessThanOrEqual(n);
      const changed = w.filter((x, i) => x !== words(text)[i]).length;
      expect(changed).toBeGreaterThan(0);
    }
  });

  it("applies only the ops asked for", () => {
    for (const p of perturb(text, new Rng(2), { ops: ["mask"], filler: "X", copies: 5 })) {
      const w = words(p);
      expect(w).toHaveLength(words(text).length);
      expect(w.filter((x) => x === "X")).toHaveLength(4);
    }
    for (const p of perturb(text, new Rng(2), { ops: ["swap"], copies: 5 }))
      expect(words(p).sort()).toEqual(words(text).sort());
  });

  it("still changes a text whose only edits would be no-ops", () => {
    expect(perturb("the the the", new Rng(0), { ops: ["swap"], copies: 2 })).toEqual(["the the", "the the"]);
    expect(perturb("word", new Rng(0), { ops: ["swap"], copies: 1 })).toEqual(["the"]);
  });

  it("returns no copies for a text without words, and rejects bad options", () => {
    expect(perturb("  \n ", new Rng(0))).toEqual([]);
    expect(() => perturb(text, new Rng(0), { fraction: 0 })).toThrow(/fraction/);
    expect(() => perturb(text, new Rng(0), { filler: "two words" })).toThrow(/filler/);
    expect(() => perturb(text, new Rng(0), { ops: [] })).toThrow(/op/);
  });
});
