import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
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
      const fresh = plain(buildShard(part, { k: 8, w: 5 }));
      expect(plain(buildShard(part, { k: 8, w: 5 }, scratch))).toEqual(fresh);
    }
  });
});
