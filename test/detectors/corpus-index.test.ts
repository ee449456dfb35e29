import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Document } from "../../src/core/data.js";
import { buildIndex } from "../../src/corpus/build.js";
import { decodedBytes, readManifest } from "../../src/corpus/manifest.js";
import { openIndexMatcherSync } from "../../src/corpus/query.js";
import { corpus } from "../../src/detectors/corpus.js";
import { writeFixture } from "../corpus/fixture.js";
import { attemptWith, contextWith } from "./fixtures.js";

const fx = writeFixture(3);
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));
const att = attemptWith({ kind: "repeat", word: "poem", template: "{word}", repeats: 4 });

describe("corpus detector over an index", () => {
  it("gives the same verdicts and evidence as over the documents in memory", async () => {
    const out = join(fx.dir, "idx");
    await buildIndex([fx.docsDir], out, { shardChars: 4000 });
    const index = await openIndexMatcherSync(out);
    const docs: Document[] = Object.entries(fx.texts).map(([id, text]) => ({ id, text }));
    let found = 0;
    for (const o of fx.outputs) {
      const viaIndex = corpus.detect(o, att, contextWith({ corpus: index }));
      const viaDocs = corpus.detect(o, att, contextWith({ documents: docs }));
      expect(viaIndex).toEqual(viaDocs);
      if (viaIndex) found++;
    }
    expect(found).toBe(4);
  });

  it("refuses an index larger than the scan's memory limit, counting the hash filter, and names the key", async () => {
    const out = join(fx.dir, "idx-limit");
    await buildIndex([fx.docsDir], out, { shardChars: 4000 });
    const m = await readManifest(out);
    const shards = m.shards.reduce((n, s) => n + decodedBytes(s), 0);
    const filter = statSync(join(out, "filter.bin")).size;
    await expect(openIndexMatcherSync(out, { maxBytes: shards })).rejects.toThrow(
      /at most 1 MB in memory for a scan, found 1 MB .*raise corpusIndexMemoryMb in the config to at least 1/,
    );
    await expect(openIndexMatcherSync(out, { maxBytes: shards + filter })).resolves.toBeDefined();
  });
});
