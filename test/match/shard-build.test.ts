import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { contextUnits, kgramHashAt } from "../../src/match/fingerprint.js";
import { HEAVY_MIN } from "../../src/match/frequent.js";
import { type BuiltShard, buildScratch, buildShard, type ShardDoc } from "../../src/match/shard-build.js";

const WORDS = ["alpha", "Beta", "café", "naïve", "中文", "😀", "ﬃ", "x", "to", "  ", "\n"];

function docs(rng: Rng, count: number, size: number): ShardDoc[] {
  return Array.from({ length: count }, (_, i) => {
    let text = "";
    while (text.length < size) text += `${rng.pick(WORDS)} ${rng.int(1000)} `;
    return { id: `d${i}`, text: i % 2 === 0 ? text : Buffer.from(text, "utf8"), base: 0 };
  });
}

/** The shard's contents as plain arrays (copied out of any scratch buffer). */
function plain(s: BuiltShard) {
  return {
    units: [...s.units],
    docStart: [...s.docStart],
    hashes: [...s.hashes],
    positions: [...s.positions],
    contexts: [...s.contexts],
    breaks: [...s.breaks],
    breakStart: [...s.breakStart],
    ids: s.ids,
    heavy: s.heavy,
    wide: [...s.wide],
  };
}

describe("buildShard with reused scratch", () => {
  it("gives what a fresh build gives, shard after shard, smaller and larger", () => {
    const rng = new Rng(4, "scratch");
    const scratch = buildScratch();
    for (const [count, size] of [
      [3, 2000],
      [1, 100],
      [6, 5000],
      [2, 0],
      [4, 3000],
    ] as const) {
      const part = docs(rng, count, size);
      for (const w of [5, 9]) {
        const fresh = plain(buildShard(part, { k: 8, w }));
        expect(plain(buildShard(part, { k: 8, w }, scratch))).toEqual(fresh);
      }
    }
  });
});

describe("buildShard postings", () => {
  it("carry the context word of each frequent hash's k-gram (0 for the others) through the sort", () => {
    const rng = new Rng(5, "contexts");
    for (const w of [3, 9, 17]) {
      const k = w === 17 ? 16 : 8;
      // Words only (no numbers): many k-grams recur HEAVY_MIN times or more.
      const words = Array.from({ length: 5 }, (_, i) => {
        let text = "";
        while (text.length < 20_000) text += `${rng.pick(WORDS.slice(0, 3))} `;
        return { id: `d${i}`, text, base: 0 };
      });
      const s = buildShard(words, { k, w });
      const c = contextUnits(k);
      // The top 16 bits of a hash, never 0 (0: no k-gram on that side).
      const half = (h: number) => h >>> 16 || 1;
      let frequent = 0;
      const want: number[] = [];
      const hashes: number[] = [];
      for (let i = 0; i < s.hashes.length; ) {
        let j = i + 1;
        while (j < s.hashes.length && s.hashes[j] === s.hashes[i]) j++;
        for (let x = i; x < j; x++) {
          const p = s.positions[x]!;
          let d = 0;
          while (s.docStart[d + 1]! <= p) d++;
          const [ds, de] = [s.docStart[d]!, s.docStart[d + 1]!];
          hashes.push(kgramHashAt(s.units, p, k));
          want.push(
            j - i < HEAVY_MIN
              ? 0
              : (((p - c >= ds ? half(kgramHashAt(s.units, p - c, c)) : 0) << 16) |
                  (p + k + c <= de ? half(kgramHashAt(s.units, p + k, c)) : 0)) >>>
                  0,
          );
          if (j - i >= HEAVY_MIN) frequent++;
        }
        i = j;
      }
      expect([...s.hashes]).toEqual(hashes);
      expect([...s.contexts], `k ${k}, w ${w}`).toEqual(want);
      expect(frequent, `w ${w}`).toBeGreaterThan(100);
    }
  });
});
