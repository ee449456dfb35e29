import { describe, expect, it } from "vitest";
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
