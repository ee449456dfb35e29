import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { buildIndex } from "../../src/corpus/build.js";
import { docChars, transferable, utf16Length } from "../../src/corpus/doc-bytes.js";
import { CorpusIndex } from "../../src/corpus/query.js";
import { createNaiveCorpusMatcher } from "../../src/match/corpus-naive.js";

const WORDS = "café naïve 😀 中文 ledger Ｆｕｌｌ e\u0301clair harbor ß İstanbul Привет amber 42".split(" ");

/** Lines of multi-byte words (so cuts and read chunks fall next to, or inside, wide characters). */
function lines(rng: Rng, n: number): string {
  let s = "";
  let line = "";
  while (s.length < n) {
    line += `${rng.pick(WORDS)} ${rng.int(100000)} `;
    if (line.length > 90 + rng.int(60)) {
      s += `${line}\n`;
      line = "";
    }
  }
  return s;
}

const dir = mkdtempSync(join(tmpdir(), "memscan-bytes-"));
const docsDir = join(dir, "docs");
mkdirSync(docsDir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("text files decoded by the workers", () => {
  const rng = new Rng(9, "bytes");
  const plain = `\ufeff${lines(rng, 30_000)}`;
  const zipped = lines(rng, 120_000);
  writeFileSync(join(docsDir, "plain.txt"), plain);
  writeFileSync(join(docsDir, "zipped.txt.gz"), gzipSync(zipped));
  const docs = [
    { id: "plain.txt", text: plain },
    { id: "zipped.txt.gz", text: zipped },
  ];
  /** Spans inside one line, not at its start (parts are cut after newlines: no span crosses a part). */
  const outputs = Array.from({ length: 40 }, (_, i) => {
    const text = docs[i % 2]!.text;
    const nl = text.indexOf("\n", rng.int(text.length - 400));
    const end = text.indexOf("\n", nl + 1);
    return `Output ${i}: ${text.slice(nl + 2 + rng.int(10), end - rng.int(10))} (end)`;
  });
  const naive = createNaiveCorpusMatcher(docs);

  for (const maxDocChars of [undefined, 1500]) {
    it(`finds what the naive matcher finds, offsets included (maxDocChars ${maxDocChars ?? "default"})`, async () => {
      const out = join(dir, `idx-${maxDocChars ?? "default"}`);
      const s = await buildIndex([docsDir], out, {
        shardChars: 20_000,
        ...(maxDocChars !== undefined ? { maxDocChars } : {}),
      });
      expect(s.addedDocs).toBe(2);
      const index = await CorpusIndex.open(out);
      try {
        const got = await index.query(outputs);
        expect(got.every((m) => m.length > 0)).toBe(true);
        expect(got).toEqual(outputs.map((o) => naive.find(o)));
      } finally {
        await index.close();
      }
    });
  }
});

describe("utf16Length", () => {
  it("counts the UTF-16 units Buffer#toString gives, for valid and invalid UTF-8", () => {
    for (const b of [
      Buffer.from("plain ascii"),
      Buffer.from("a😀é中\ufeff"),
      Buffer.from([0x61, 0xc3, 0x80, 0xe2, 0x82, 0x62, 0xf0, 0x9f, 0x98]),
      Buffer.alloc(0),
    ]) {
      expect(utf16Length(b)).toBe(b.toString("utf8").length);
    }
  });
});

describe("transferable", () => {
  it("gives each byte text a buffer of its own and lists it; strings stay", () => {
    const pooled = Buffer.from("small pooled text");
    const own = new Uint8Array(8);
    const { docs, transfer } = transferable([
      { id: "a", text: pooled, base: 0 },
      { id: "b", text: own, base: 0 },
      { id: "c", text: "string", base: 0 },
    ]);
    expect(docs[1]!.text).toBe(own);
    expect(docs[2]!.text).toBe("string");
    const copy = docs[0]!.text as Uint8Array;
    expect(Buffer.from(copy).toString()).toBe("small pooled text");
    expect(copy.byteLength).toBe(copy.buffer.byteLength);
    expect(transfer).toEqual([copy.buffer, own.buffer]);
  });
});

describe("docChars", () => {
  it("counts a byte text's characters as its decoded string's length", () => {
    const text = "naïve 😀 中文 text";
    expect(docChars({ id: "s", text, base: 0 })).toBe(text.length);
    expect(docChars({ id: "b", text: Buffer.from(text), base: 0 })).toBe(text.length);
  });
});
