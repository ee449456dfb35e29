import { describe, expect, it } from "vitest";
import { packShift, prepareBatch, prepareBatches } from "../../src/match/batch.js";

describe("prepareBatch packed places", () => {
  it("packs each k-gram as output << shift | offset, sorted by hash", () => {
    const outputs = ["the quick brown fox jumps over", "a lazy dog sleeps in the sun all day"];
    const b = prepareBatch(outputs, 8, false);
    expect(b.shift).toBe(packShift(Math.max(...outputs.map((o) => o.length))));
    const seen = new Set<number>();
    for (let i = 0; i < b.count; i++) {
      const o = b.vals[i]! >>> b.shift;
      const off = b.vals[i]! & (2 ** b.shift - 1);
      expect(off + 8).toBeLessThanOrEqual(b.bounds[o + 1]! - b.bounds[o]!);
      seen.add(b.vals[i]!);
      if (i > 0) expect(b.keys[i - 1]!).toBeLessThanOrEqual(b.keys[i]!);
    }
    expect(seen.size).toBe(b.count);
    expect(b.count).toBe(outputs[0]!.length - 7 + outputs[1]!.length - 7);
  });

  it("refuses a batch whose places do not fit in 32 bits", () => {
    const long = "x".repeat(1 << 17);
    const outputs = Array.from({ length: 2 ** 15 + 1 }, (_, i) => (i === 0 ? long : "y"));
    expect(() => prepareBatch(outputs, 16, false)).toThrow(/fit in 32 bits/);
    expect(() => prepareBatch(outputs.slice(1), 16, false)).not.toThrow();
  });
});

describe("prepareBatches", () => {
  it("is one batch when the places fit", () => {
    const got = prepareBatches(["a long enough output", "another output here"], 8, false);
    expect(got.map((b) => b.start)).toEqual([0]);
    expect(got[0]!.batch.bounds.length).toBe(3);
  });

  it("splits in halves until each batch fits, keeping every output once and in order", () => {
    const long = "x".repeat(1 << 17);
    const outputs = Array.from({ length: 2 ** 15 + 1 }, (_, i) => (i === 0 ? long : `y${i % 7}`));
    const got = prepareBatches(outputs, 16, false);
    expect(got.length).toBeGreaterThan(1);
    let next = 0;
    for (const { start, batch } of got) {
      expect(start).toBe(next);
      const n = batch.bounds.length - 1;
      expect(n).toBeLessThanOrEqual(2 ** (32 - batch.shift));
      next += n;
    }
    expect(next).toBe(outputs.length);
    expect(got[0]!.batch.bounds[1]).toBe(1 << 17);
  });
});
