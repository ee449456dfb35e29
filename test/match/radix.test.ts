import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { MSD_FROM, sortPairs, sortPairsInPlace } from "../../src/match/radix.js";

function reference(keys: Uint32Array, vals: Uint32Array, n: number) {
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return { keys: idx.map((i) => keys[i]!), vals: idx.map((i) => vals[i]!) };
}

describe("sortPairs", () => {
  it("sorts like a stable comparison sort on random, skewed and equal keys", () => {
    const rng = new Rng(7, "radix");
    const cases: number[][] = [
      [],
      [5],
      Array.from({ length: 3000 }, () => rng.int(2 ** 32)),
      // One frequent key among random ones in the same 16-bit bucket (the old sort went quadratic here).
      Array.from({ length: 3000 }, () => (rng.next() < 0.7 ? 0x12345678 : 0x12340000 + rng.int(65536))),
      Array.from({ length: 500 }, () => 0xffffffff),
      Array.from({ length: 2000 }, () => rng.int(4) * 65536 + rng.int(3)),
    ];
    for (const ks of cases) {
      const keys = Uint32Array.from(ks);
      const vals = Uint32Array.from(ks.map((_, i) => i));
      const got = sortPairs(keys, vals, ks.length);
      const want = reference(keys, vals, ks.length);
      expect([...got.keys]).toEqual(want.keys);
      expect([...got.vals]).toEqual(want.vals);
      // In place, through oversized dirty temporaries.
      const k2 = Uint32Array.from([...ks, 7]);
      const v2 = Uint32Array.from([...ks.map((_, i) => i), 7]);
      sortPairsInPlace(
        k2,
        v2,
        ks.length,
        new Uint32Array(ks.length + 9).fill(3),
        new Uint32Array(ks.length + 9),
      );
      expect([...k2.subarray(0, ks.length)]).toEqual(want.keys);
      expect([...v2.subarray(0, ks.length)]).toEqual(want.vals);
      expect(k2[ks.length]).toBe(7);
    }
  });

  it("sorts only the first n pairs", () => {
    const got = sortPairs(Uint32Array.of(9, 3, 1, 0), Uint32Array.of(0, 1, 2, 3), 3);
    expect([...got.keys]).toEqual([1, 3, 9]);
    expect([...got.vals]).toEqual([2, 1, 0]);
  });

  it("sorts stably from MSD_FROM pairs on (split), with skewed, lone, empty and narrow buckets", () => {
    const rng = new Rng(11, "radix-msd");
    const n = MSD_FROM + 17;
    const wide = (): number => {
      const r = rng.next();
      // Top bytes 0x00-0x3f random, 0x7f frequent with few low values, 0xee exactly once; others empty.
      return r < 0.5 ? rng.int(2 ** 30) : r < 0.95 ? 0x7f000000 + rng.int(50) : 0x12345;
    };
    const cases: [string, () => number][] = [
      ["wide", wide],
      ["25-bit (diagonals)", () => rng.int(2 ** 25)],
      ["8-bit", () => rng.int(200)],
    ];
    for (const [name, gen] of cases) {
      const orig = Uint32Array.from({ length: n }, gen);
      if (name === "wide") orig[n - 1] = 0xee000001;
      const keys = orig.slice();
      const vals = Uint32Array.from({ length: n }, (_, i) => i);
      sortPairsInPlace(keys, vals, n, new Uint32Array(n).fill(9), new Uint32Array(n).fill(9));
      const want = orig.slice().sort();
      let bad = 0;
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (keys[i] !== want[i] || orig[vals[i]!] !== keys[i] || seen[vals[i]!]) bad++;
        seen[vals[i]!] = 1;
        if (i > 0 && keys[i] === keys[i - 1] && vals[i]! < vals[i - 1]!) bad++;
      }
      expect(bad, name).toBe(0);
    }
  });
});
