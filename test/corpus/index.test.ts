import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Document } from "../../src/core/data.js";
import { addToIndex, buildIndex } from "../../src/corpus/build.js";
import { readManifest } from "../../src/corpus/manifest.js";
import { CorpusIndex, openIndexMatcherSync, settingsFor } from "../../src/corpus/query.js";
import { loadShardSync, readFilter } from "../../src/corpus/shard-file.js";
import { prepareBatch } from "../../src/match/batch.js";
import { createNaiveCorpusMatcher } from "../../src/match/corpus-naive.js";
import { mayHold } from "../../src/match/hash-filter.js";
import { writeFixture } from "./fixture.js";

const fx = writeFixture();
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

describe("corpus index (on disk, worker threads)", () => {
  const out = join(fx.dir, "idx");
  const docs: Document[] = Object.entries(fx.texts).map(([id, text]) => ({ id, text }));

  it("builds shards with a manifest, and queries give the naive matcher's evidence", async () => {
    const s = await buildIndex([fx.docsDir], out, { shardChars: 3000 });
    expect(s.manifest.shards.length).toBeGreaterThan(2);
    expect(s.manifest.sources.map((x) => x.name)).toEqual(["a.txt", "records.jsonl", "sub/b.txt.gz"]);
    expect(s.manifest.sources.every((x) => /^[0-9a-f]{64}$/.test(x.sha256))).toBe(true);
    expect(s.manifest.params).toMatchObject({ k: 16, w: 17, guarantee: 32, minLength: 50 });
    const naive = createNaiveCorpusMatcher(docs);
    const index = await CorpusIndex.open(out);
    try {
      const got = await index.query(fx.outputs);
      expect(got).toEqual(fx.outputs.map((o) => naive.find(o)));
      expect(got[0]!.some((m) => m.exact && m.docId === "a.txt" && m.docOffset === 10)).toBe(true);
      expect(got[1]!.some((m) => !m.exact && m.docId === "r2")).toBe(true);
      expect(got[2]!.some((m) => m.docId === "sub/b.txt.gz")).toBe(true);
      expect(got[3]).toEqual([]);
      expect(got[4]!.map((m) => m.docId)).toEqual(["r1", "r2"]);
      const tokens = await index.query(fx.outputs, { minTokens: 40 });
      expect(tokens[4]).toEqual([]);
      expect(tokens[0]!.length).toBeGreaterThan(0);
    } finally {
      await index.close();
    }
    const sync = await openIndexMatcherSync(out);
    expect(fx.outputs.map((o) => sync.find(o))).toEqual(fx.outputs.map((o) => naive.find(o)));
  });

  it("gives the same matches whichever worker searches a shard (uncached shards go to the first free one)", async () => {
    const naive = createNaiveCorpusMatcher(docs);
    const want = fx.outputs.map((o) => naive.find(o));
    for (const opts of [
      { workers: 3, cacheBytes: 0 },
      { workers: 1, cacheBytes: 0 },
      { workers: 2, cacheBytes: 1 << 30 },
    ]) {
      const index = await CorpusIndex.open(out, opts);
      try {
        expect(await index.query([...fx.outputs, ...fx.outputs], { batchSize: fx.outputs.length })).toEqual([
          ...want,
          ...want,
        ]);
      } finally {
        await index.close();
      }
    }
  });

  it("drops the output k-grams no shard holds (hash filter) without changing any match", async () => {
    const filter = await readFilter(out);
    expect(filter).toBeDefined();
    const m = await readManifest(out);
    for (const s of m.shards) {
      const shard = loadShardSync(join(out, s.bin), join(out, s.ids));
      for (const h of shard.hashes) expect(mayHold(filter!, h)).toBe(true);
    }
    const outputs = [...fx.outputs, "text that is nowhere in the corpus at all, not one sixteen-gram of it"];
    const kept = prepareBatch(outputs, 16, false, filter).count;
    expect(kept).toBeLessThan(prepareBatch(outputs, 16, false).count);
    // The same index without its filter (as built before filters): the same matches.
    const bare = join(fx.dir, "idx-bare");
    cpSync(out, bare, { recursive: true });
    rmSync(join(bare, "filter.bin"));
    const results = await Promise.all(
      [out, bare].map(async (dir) => {
        const index = await CorpusIndex.open(dir);
        try {
          return await index.query(outputs);
        } finally {
          await index.close();
        }
      }),
    );
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.some((ms) => ms.length > 0)).toBe(true);
    // Adding to it does not start a filter of the new shards alone (it would hide the old ones).
    const extra = join(fx.dir, "bare-extra.txt");
    writeFileSync(extra, "A document added to an index that has no hash filter, long enough to be matched.");
    await addToIndex(bare, [extra]);
    expect(await readFilter(bare)).toBeUndefined();
    const index = await CorpusIndex.open(bare);
    try {
      const [old, added] = await index.query([
        fx.outputs[0]!,
        "It said: A document added to an index that has no hash filter, long enough to be matched.",
      ]);
      expect(old).toEqual(results[0]![0]);
      expect(added!.map((x) => x.docId)).toEqual(["bare-extra.txt"]);
    } finally {
      await index.close();
    }
  });

  it("splits a batch whose packed places do not fit 32 bits, and each output keeps its own matches", async () => {
    // An output of 2^20 units allows 2^12 outputs per batch: each range of 2^12 + 1 outputs is split.
    const size = 2 ** 12 + 1;
    const outputs = Array.from({ length: 2 * size }, (_, i) => fx.outputs[i % fx.outputs.length]!);
    for (const i of [0, size]) outputs[i] = `${fx.outputs[i % fx.outputs.length]} ${"q".repeat(1 << 20)}`;
    const naive = createNaiveCorpusMatcher(docs);
    const index = await CorpusIndex.open(out);
    try {
      const got = await index.query(outputs, { batchSize: size });
      expect(got.length).toBe(outputs.length);
      const half = size >>> 1;
      for (const i of [
        0,
        1,
        half - 1,
        half,
        size - 1,
        size,
        size + 1,
        size + half - 1,
        size + half,
        2 * size - 1,
      ]) {
        expect(got[i], `output ${i}`).toEqual(naive.find(outputs[i]!));
      }
    } finally {
      await index.close();
    }
  });

  it("checks frequent k-grams by context only where that keeps every reportable verbatim span", async () => {
    const m = await readManifest(out);
    const on = (o: Parameters<typeof settingsFor>[1]) => settingsFor(m, o).search.frequentContext;
    expect(on({})).toBe(true); // min length 50 >= k + 2c - 1 = 31
    expect(on({ minLength: 32 })).toBe(true); // the index's guarantee: no shorter minimum is allowed
    expect(on({ minTokens: 30 })).toBe(false);
    expect(on({ maxPostings: 0 })).toBe(false); // "check every place"
  });

  it("builds the stop table for each query's own --max-postings (a later query is not cut by an earlier one's)", async () => {
    // A paragraph 300 times in each of four shards (its k-grams saturate a limit of 16 in the first),
    // then once in a fifth shard, followed by a short tail only there. No sampled k-gram (every 17th)
    // crosses into the tail (it starts at offset 85), so the match through it is found only from the
    // paragraph's k-grams in that shard.
    const para = "the quick brown fox jumps over the lazy dog near the riverbank ";
    const tail = "QZX";
    const dir = join(fx.dir, "stops");
    const docs = join(dir, "docs");
    mkdirSync(docs, { recursive: true });
    for (let d = 0; d < 4; d++) writeFileSync(join(docs, `d${d}.txt`), `${para.repeat(300)}filler ${d}`);
    writeFileSync(join(docs, "d4.txt"), `other words, at first ${para}${tail} and more words after it.`);
    const idx = join(dir, "idx");
    const built = await buildIndex([docs], idx, { shardChars: 10_000 });
    expect(built.manifest.shards.length).toBe(5);
    const output = `Unrelated opening words here. ${para}${tail} unrelated closing words.`;
    const exact = { maxPostings: 0, maxSpanSeeds: 0 };
    const fresh = await CorpusIndex.open(idx);
    const reused = await CorpusIndex.open(idx);
    try {
      const want = (await fresh.query([output], exact))[0]!;
      const start = output.indexOf(para);
      expect(
        want.some((m) => m.exact && m.docId === "d4.txt" && m.end >= start + para.length + tail.length),
      ).toBe(true);
      await reused.query([output], { maxPostings: 16 });
      expect((await reused.query([output], exact))[0]).toEqual(want);
    } finally {
      await fresh.close();
      await reused.close();
    }
  });

  it("warm() reads the tables on the workers; query reports their errors and reads them again next time", async () => {
    const want = await (async () => {
      const index = await CorpusIndex.open(out);
      try {
        return await index.query(fx.outputs);
      } finally {
        await index.close();
      }
    })();
    const dir = join(fx.dir, "idx-warm");
    cpSync(out, dir, { recursive: true });
    writeFileSync(join(dir, "filter.bin"), "not a filter");
    const index = await CorpusIndex.open(dir);
    try {
      index.warm();
      await expect(index.query(fx.outputs)).rejects.toThrow(
        /hash filter in .*filter\.bin.*rebuild the index/,
      );
      cpSync(join(out, "filter.bin"), join(dir, "filter.bin"));
      // The stop table (built while the batch is prepared) of a limit not asked for yet: its error too.
      writeFileSync(join(dir, "frequent.bin"), "odd length");
      await expect(index.query(fx.outputs, { maxPostings: 64 })).rejects.toThrow(
        /frequent\.bin to hold .* triples.*rebuild the index/,
      );
      cpSync(join(out, "frequent.bin"), join(dir, "frequent.bin"));
      expect(await index.query(fx.outputs, { maxPostings: 64 })).toEqual(want);
      index.warm({ maxPostings: 16 });
      expect(await index.query(fx.outputs, { maxPostings: 16 })).toEqual(want);
    } finally {
      await index.close();
    }
  });

  it("refuses spans shorter than the index guarantees", async () => {
    const index = await CorpusIndex.open(out);
    await expect(index.query(["x"], { minLength: 20 })).rejects.toThrow(/min-length >= 32/);
    await expect(index.query(["x"], { minTokens: 10 })).rejects.toThrow(/min-tokens >= 17/);
    await index.close();
  });

  it("adds new files incrementally, skipping those already indexed, and rejects duplicate ids", async () => {
    const extra = join(fx.dir, "extra.txt");
    const text =
      "A brand new document about lighthouses and the keepers who tended their lamps through storms.";
    writeFileSync(extra, text);
    const s = await addToIndex(out, [fx.docsDir, extra]);
    expect(s.skipped.length).toBe(3);
    expect(s.addedDocs).toBe(1);
    const m = await readManifest(out);
    expect(m.sources.at(-1)!.name).toBe("extra.txt");
    const index = await CorpusIndex.open(out);
    const [found] = await index.query([`He wrote: ${text}`]);
    await index.close();
    expect(found).toEqual([expect.objectContaining({ docId: "extra.txt", docOffset: 0, exact: true })]);
    writeFileSync(join(fx.dir, "dup.jsonl"), `${JSON.stringify({ id: "r1", text: "again" })}\n`);
    await expect(addToIndex(out, [join(fx.dir, "dup.jsonl")])).rejects.toThrow(/unique.*r1/);
  });
});
