import { describe, expect, it } from "vitest";
import { packedRanges, packShift, prepareBatch } from "../../src/match/batch.js";

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

describe("packedRanges", () => {
  it("splits by count", () => {
    expect(packedRanges(["a", "b", "c"], 2)).toEqual([
      [0, 2],
      [2, 3],
    ]);
  });

  it("makes batches of very long outputs smaller, so that prepareBatch accepts each", () => {
    const long = "x".repeat(1 << 17);
    const outputs = Array.from({ length: 2 ** 14 + 1 }, (_, i) => (i === 0 ? long : "y"));
    const ranges = packedRanges(outputs, 100_000);
    expect(ranges.length).toBeGreaterThan(1);
    expect(ranges[0]![0]).toBe(0);
    expect(ranges.at(-1)![1]).toBe(outputs.length);
    expect(ranges[0]).toEqual([0, 2 ** (32 - packShift(32 << 17))]);
    for (const [a, b] of ranges) {
      expect(b).toBeGreaterThan(a);
      expect(() => prepareBatch(outputs.slice(a, b), 16, false)).not.toThrow();
    }
  });
});
