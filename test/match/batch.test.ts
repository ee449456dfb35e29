import { describe, expect, it } from "vitest";
import { joinBatches, packShift, prepareBatch, prepareBatches } from "../../src/match/batch.js";
import { normalize, toRawSpan } from "../../src/match/normalize.js";
import { rawSpansFrom } from "../../src/match/normalize-units.js";

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

  it("keeps each output's breakpoints: raw spans from them are toRawSpan's (also after joinBatches)", async () => {
    const { Rng } = await import("../../src/core/rng.js");
    const rng = new Rng(5, "batch-breaks");
    const pieces = ["plain", "ｆｕｌｌ", "ﬁne", "Å", "e\u0301", "  \t ", "\u200b", "😀", "ß", "İ", "x"];
    const outputs = Array.from({ length: 12 }, () =>
      Array.from({ length: rng.int(30) }, () => rng.pick(pieces)).join(rng.pick([" ", "", "\n"])),
    );
    const mid = 5;
    for (const b of [
      prepareBatch(outputs, 4, false),
      joinBatches(
        prepareBatch(outputs.slice(0, mid), 4, false),
        prepareBatch(outputs.slice(mid), 4, false),
        false,
      )!,
    ]) {
      outputs.forEach((o, i) => {
        const n = b.bounds[i + 1]! - b.bounds[i]!;
        const got = rawSpansFrom(o, n, b.breaks, b.breakStart[i]!, b.breakStart[i + 1]!);
        const want = normalize(o, "text");
        for (let x = 0; x <= n; x++) {
          for (let y = x; y <= n; y++)
            expect(got(x, y), `output ${i} [${x}, ${y})`).toEqual(toRawSpan(want, x, y));
        }
      });
    }
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

describe("joinBatches", () => {
  it("gives the arrays prepareBatch gives for all the outputs at once, with and without a filter", async () => {
    const { Rng } = await import("../../src/core/rng.js");
    const { joinBatches } = await import("../../src/match/batch.js");
    const { addHashes, emptyFilter } = await import("../../src/match/hash-filter.js");
    const rng = new Rng(12, "join-batches");
    const words = ["the", "cat", "sat", "on", "a", "mat", "ｆｕｌｌ", "ﬁne", "ΩMEGA", "  ", "\u200b", "😀"];
    const text = (n: number) => Array.from({ length: n }, () => rng.pick(words)).join(" ");
    const plain = (b: ReturnType<typeof prepareBatch>) => ({
      ...b,
      keys: [...b.keys],
      vals: [...b.vals],
      units: [...b.units],
      bounds: [...b.bounds],
    });
    for (let t = 0; t < 30; t++) {
      const outputs = Array.from({ length: 2 + rng.int(8) }, () => text(rng.int(t % 3 === 0 ? 300 : 40)));
      const mid = 1 + rng.int(outputs.length - 1);
      const some = emptyFilter(10);
      addHashes(some, prepareBatch(outputs.slice(0, 1), 8, false).keys);
      for (const filter of [undefined, some]) {
        const whole = prepareBatch(outputs, 8, false, filter);
        const a = prepareBatch(outputs.slice(0, mid), 8, false, filter);
        const b = prepareBatch(outputs.slice(mid), 8, false, filter);
        expect(plain(joinBatches(a, b, false)!), `trial ${t}`).toEqual(plain(whole));
      }
    }
  });

  it("repacks places that reach the 32nd bit (outputs near the top of a wide batch)", async () => {
    const { joinBatches } = await import("../../src/match/batch.js");
    // Offsets take 20 bits, so outputs 2048 and up set the top bit of their places.
    const outputs = [
      "x".repeat(2 ** 20 - 100),
      ...Array.from({ length: 4094 }, (_, i) => `short output text number ${i}`),
    ];
    const whole = prepareBatch(outputs, 16, false);
    expect(whole.shift).toBe(20);
    expect(whole.vals.reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThan(2 ** 31);
    for (const mid of [1, 3000]) {
      const joined = joinBatches(
        prepareBatch(outputs.slice(0, mid), 16, false),
        prepareBatch(outputs.slice(mid), 16, false),
        false,
      )!;
      // Compared as bytes: a million places each.
      const bytes = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(bytes(joined.vals).equals(bytes(whole.vals)), `places, split at ${mid}`).toBe(true);
      expect(bytes(joined.keys).equals(bytes(whole.keys)), `keys, split at ${mid}`).toBe(true);
    }
  });

  it("refuses two halves whose packed places would not fit together", async () => {
    const { joinBatches } = await import("../../src/match/batch.js");
    const long = "x".repeat(2 ** 20);
    const a = prepareBatch([long], 16, false);
    const b = prepareBatch(
      Array.from({ length: 2 ** 12 }, () => "short output text"),
      16,
      false,
    );
    expect(joinBatches(a, b, false)).toBeUndefined();
  });
});
