import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { prepareBatch } from "../../src/match/batch.js";
import { HEAVY_MIN, heavyHashes, stopTable } from "../../src/match/frequent.js";
import { queryShards } from "../../src/match/index-query.js";
import { buildShard } from "../../src/match/shard-build.js";

const LINE = "PASS: gdb.base/watchpoint.exp: hw-watch: always-inserted on: stepi advanced\n";

describe("frequent k-grams across shards", () => {
  it("lists heavy hashes and the shard where each saturates", () => {
    expect(heavyHashes(Uint32Array.from([1, 2, 2, ...Array(HEAVY_MIN).fill(5)]))).toEqual([5, HEAVY_MIN]);
    const t = stopTable(
      [
        [7, 100, 9, 20],
        [7, 200],
        [9, 20, 7, 5],
      ],
      256,
    );
    expect([...t.hashes]).toEqual([7]);
    expect([...t.shards]).toEqual([1]);
  });

  it("gives the shard where each hash's running count in corpus order reaches the limit (random lists)", () => {
    const rng = new Rng(4, "stop-table");
    for (let trial = 0; trial < 20; trial++) {
      const lists = Array.from({ length: 1 + rng.int(20) }, () => {
        const hashes = new Set(Array.from({ length: rng.int(300) }, () => rng.int(50) * 0x01000193));
        return [...hashes].flatMap((h) => [h >>> 0, HEAVY_MIN + rng.int(60)]);
      });
      const limit = rng.int(400);
      // Reference: running sums per hash, shard by shard.
      const sums = new Map<number, number>();
      const want = new Map<number, number>();
      lists.forEach((list, shard) => {
        for (let i = 0; i < list.length; i += 2) {
          const sum = (sums.get(list[i]!) ?? 0) + list[i + 1]!;
          sums.set(list[i]!, sum);
          if (limit > 0 && sum >= limit && !want.has(list[i]!)) want.set(list[i]!, shard);
        }
      });
      const t = stopTable(lists, limit);
      const got = new Map([...t.hashes].map((h, i) => [h, t.shards[i]!]));
      expect(got, `trial ${trial}`).toEqual(want);
      expect([...t.hashes]).toEqual([...t.hashes].sort((x, y) => x - y));
    }
  });

  it("stops checking a saturated k-gram in later shards but still reports its first occurrence", () => {
    const shards = [0, 1, 2].map((i) => ({
      shard: buildShard([{ id: `log${i}`, text: LINE.repeat(600), base: 0 }], { k: 16, w: 17 }),
      firstRank: i,
    }));
    const stops = stopTable(
      shards.map((s) => s.shard.heavy),
      HEAVY_MIN,
    );
    expect(stops.hashes.length).toBeGreaterThan(0);
    expect(Math.max(...stops.shards)).toBe(0);
    const out = `log says ${LINE.repeat(3)} done`;
    const search = { k: 16, maxPostings: HEAVY_MIN };
    const resolve = { minLength: 50, maxDistance: 0.1, k: 16, gap: 100 };
    const batch = prepareBatch([out], 16, false);
    const all = queryShards(shards, [out], batch, search, resolve)[0]!;
    const capped = queryShards(shards, [out], batch, search, resolve, stops)[0]!;
    expect(capped).toEqual(all);
    expect(capped.find((m) => m.exact)).toMatchObject({ docId: "log0", docOffset: LINE.length - 1 });
  });
});
