import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { prepareBatch } from "../../src/match/batch.js";
import { queryShards } from "../../src/match/index-query.js";
import { buildShard } from "../../src/match/shard-build.js";
import { shardSeeds } from "../../src/match/shard-search.js";

const PARAGRAPH =
  "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and " +
  "associated documentation files, to deal in the Software without restriction. ";

function words(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => rng.pick(["lorem", "ipsum", "dolor", "sit", "amet", "vel", "quis"]))
    .map((w) => `${w}${rng.int(1000)}`)
    .join(" ");
}

describe("maxSpanSeeds (boilerplate in many documents)", () => {
  const rng = new Rng(3, "span-seeds");
  // 60 documents hold the paragraph between their own words; document 55, the 16th of its shard, continues
  // it with a unique tail: past the point where the paragraph is saturated.
  const tail = "Q"; // no sampled k-gram of d55 reaches it: found only by extending a seed of the paragraph
  const docs = Array.from({ length: 60 }, (_, i) => ({
    id: `d${i}`,
    text: `${words(rng, 20)} ${PARAGRAPH}${i === 55 ? tail : words(rng, 10)} ${words(rng, 20)}`,
    base: 0,
  }));
  const shards = [0, 20, 40].map((from) => ({
    shard: buildShard(docs.slice(from, from + 20), { k: 16, w: 17 }),
    firstRank: from,
  }));
  const output = `the model wrote: ${PARAGRAPH}${tail} and more of its own words here`;
  const resolve = { minLength: 50, maxDistance: 0.1, k: 16, gap: 100 };
  const batch = prepareBatch([output], 16, false);

  it("reports what extending every place reports, with far fewer seeds", () => {
    const all = queryShards(shards, [output], batch, { k: 16, maxPostings: 0 }, resolve)[0]!;
    const capped = queryShards(
      shards,
      [output],
      batch,
      { k: 16, maxPostings: 0, maxSpanSeeds: 4 },
      resolve,
    )[0]!;
    expect(capped).toEqual(all);
    const exact = capped.filter((m) => m.exact);
    expect(
      exact.some((m) => m.docId === "d55" && output.slice(m.start, m.end).includes(PARAGRAPH + tail)),
    ).toBe(true);
    const seeds = (maxSpanSeeds: number) =>
      [...shardSeeds(shards[0]!.shard, batch, { k: 16, maxPostings: 0, maxSpanSeeds }).values()].flat()
        .length;
    expect(seeds(0)).toBeGreaterThanOrEqual(20);
    expect(seeds(4)).toBeLessThan(seeds(0) / 2);
  });
});
