import { describe, expect, it } from "vitest";
import type { Document } from "../../src/core/data.js";
import { Rng } from "../../src/core/rng.js";
import { prepareBatch } from "../../src/match/batch.js";
import {
  contextHalf,
  contextUnits,
  contextWord,
  fmix32,
  HASH_BASE,
  kgramHashAt,
  sampledCount,
  sampleKgrams,
} from "../../src/match/fingerprint.js";
import { queryShards, type RankedShard } from "../../src/match/index-query.js";
import { normalize } from "../../src/match/normalize.js";
import type { ResolveOptions } from "../../src/match/resolve.js";
import { buildShard } from "../../src/match/shard-build.js";
import { contextFilterSafe, shardSeeds } from "../../src/match/shard-search.js";
import { expectLikeNormalize } from "./normalize-check.js";
import { referenceAnchors, referenceMatches, referenceVerbatim } from "./reference-matcher.js";

const WORDS = ["alpha", "beta", "gamma", "delta", "Ωmega", "ﬁne", "café", "naïve", "x", "to", "the", "ab"];
const ODD = ["  ", "\n\t", "\u200b", "e\u0301", "\u0430", "Ｆ", "😀", "\ud800", "中文", "ß", "İ", "\u00a0"];

function text(rng: Rng, n: number): string {
  let s = "";
  while (s.length < n) {
    const r = rng.next();
    if (r < 0.6) s += `${rng.pick(WORDS)} `;
    else if (r < 0.75) s += rng.pick(ODD);
    else if (r < 0.85) s += String.fromCharCode(97 + rng.int(4)).repeat(1 + rng.int(6));
    else s += rng.pick(WORDS).toUpperCase();
  }
  return s;
}

function edit(rng: Rng, s: string, rate: number): string {
  let out = "";
  for (const ch of s) {
    const r = rng.next();
    if (r < rate / 3) continue;
    if (r < (2 * rate) / 3) out += String.fromCharCode(97 + rng.int(26));
    else if (r < rate) out += ch + String.fromCharCode(97 + rng.int(26));
    else out += ch;
  }
  return out;
}

function corpus(rng: Rng): Document[] {
  return Array.from({ length: 1 + rng.int(5) }, (_, i) => ({
    id: `d${i}`,
    text: text(rng, 20 + rng.int(300)),
  }));
}

function output(rng: Rng, docs: readonly Document[]): string {
  let s = "";
  for (let part = 0; part < 1 + rng.int(4); part++) {
    const d = rng.pick(docs).text;
    const a = rng.int(d.length);
    const piece = d.slice(a, a + 10 + rng.int(120));
    const r = rng.next();
    s += r < 0.4 ? piece : r < 0.8 ? edit(rng, piece, 0.08) : text(rng, 30);
  }
  return s;
}

function shardsOf(docs: readonly Document[], rng: Rng, k: number, w: number): RankedShard[] {
  const shards: RankedShard[] = [];
  let i = 0;
  while (i < docs.length) {
    const n = 1 + rng.int(docs.length - i);
    const part = docs.slice(i, i + n).map((d) => ({ id: d.id, text: d.text, base: 0 }));
    shards.push({ shard: buildShard(part, { k, w }), firstRank: i });
    i += n;
  }
  return shards;
}

describe("normalizeInto", () => {
  it("equals normalize(text) with the same raw starts, on random Unicode", () => {
    const rng = new Rng(7, "norm");
    for (let t = 0; t < 300; t++) {
      const s = text(rng, rng.int(80));
      expectLikeNormalize(s);
    }
  });

  it("gives a combining mark after an ASCII run its base letter", () => {
    for (const s of [
      "abce\u0301d",
      "e\u0301",
      "x e\u0301\u0301 Ab\u0327c",
      "ab\u0300",
      "  ab\u200bc\u0301",
    ]) {
      expectLikeNormalize(s);
    }
  });
});

describe("sampleKgrams", () => {
  it("keeps every w-th k-gram with the hash computed from scratch", () => {
    const rng = new Rng(11, "sample");
    for (let t = 0; t < 200; t++) {
      const s = normalize(text(rng, rng.int(200)), "text").text;
      const k = 2 + rng.int(6);
      const w = 1 + rng.int(8);
      const u = Uint16Array.from({ length: s.length + 3 }, (_, i) => (i < 3 ? 7 : s.charCodeAt(i - 3)));
      const hs = new Uint32Array(s.length + 2);
      const ps = new Uint32Array(s.length + 2);
      hs[0] = 99;
      const n = sampleKgrams(u, 3, u.length, k, w, hs, ps, 1);
      const want = [...referenceAnchors(s, k, w)];
      expect(n - 1).toBe(want.length);
      expect(n - 1).toBe(sampledCount(s.length, k, w));
      expect([...ps.subarray(1, n)]).toEqual(want.map((p) => p + 3));
      want.forEach((p, i) => {
        let h = 0;
        for (let j = 0; j < k; j++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(p + j)) | 0;
        expect(hs[i + 1]).toBe(fmix32(h));
        expect(kgramHashAt(u, p + 3, k)).toBe(fmix32(h));
      });
      expect(hs[0]).toBe(99);
    }
    expect(fmix32(0)).toBe(0);
  });

  it("context words: two 16-bit halves, 0 only where there is no k-gram", () => {
    expect(contextWord(contextHalf(0x12345678), contextHalf(0x9abcdef0))).toBe(0x12349abc);
    expect(contextWord(0, 0)).toBe(0);
    expect(contextWord(contextHalf(0xffff), 0)).toBe(0x10000); // a zero half becomes 1: 0 means none
    expect(contextWord(0, contextHalf(0xffff))).toBe(1);
    expect(contextWord(contextHalf(0xffff0000), contextHalf(0xffff0000))).toBe(0xffffffff);
  });
});

describe("index search = brute-force reference (seeded property test)", () => {
  it("gives identical matches over 150 random corpora, outputs and parameters, across shard splits", () => {
    const rng = new Rng(2024, "index-property");
    let exact = 0;
    let near = 0;
    for (let trial = 0; trial < 150; trial++) {
      const docs = corpus(rng);
      const k = 3 + rng.int(6);
      const w = 1 + rng.int(6);
      const opts: ResolveOptions = {
        minLength: k + w - 1 + rng.int(10),
        maxDistance: rng.pick([0.1, 0.2]),
        k,
        gap: 8 + rng.int(40),
        ...(rng.next() < 0.2 ? { minTokens: 3 + rng.int(4) } : {}),
      };
      const outputs = Array.from({ length: 1 + rng.int(4) }, () => output(rng, docs));
      const got = queryShards(
        shardsOf(docs, rng, k, w),
        outputs,
        prepareBatch(outputs, k, false),
        { k, maxPostings: 0 },
        opts,
      );
      outputs.forEach((o, i) => {
        const want = referenceMatches(docs, o, { ...opts, w });
        expect(got[i], `trial ${trial} output ${i}`).toEqual(want);
        exact += want.filter((m) => m.exact).length;
        near += want.filter((m) => !m.exact).length;
        if (opts.minTokens === undefined) {
          const verbatim = got[i]!.filter((m) => m.exact).map(({ start, end, docId, docOffset }) => ({
            start,
            end,
            docId,
            docOffset,
          }));
          expect(verbatim, `verbatim, trial ${trial}`).toEqual(referenceVerbatim(docs, o, opts.minLength));
        }
      });
    }
    expect(exact).toBeGreaterThan(50);
    expect(near).toBeGreaterThan(20);
  });
});

describe("frequentContext (places of frequent k-grams skipped by context word)", () => {
  it("keeps every verbatim match when spans are at least k + 2c - 1 long, over 150 repetitive corpora", () => {
    const rng = new Rng(77, "frequent-context");
    let exact = 0;
    let seedsOn = 0;
    let seedsOff = 0;
    for (let trial = 0; trial < 150; trial++) {
      // Long documents of a dozen words: many k-grams get HEAVY_MIN postings or more in a shard.
      const docs = Array.from({ length: 1 + rng.int(5) }, (_, i) => ({
        id: `d${i}`,
        text: text(rng, 200 + rng.int(1500)),
      }));
      const k = 3 + rng.int(6);
      const w = 1 + rng.int(6);
      // From the bound itself: c = contextUnits(k) units on each side.
      const minLength = Math.max(k + w - 1, k + 2 * contextUnits(k) - 1) + rng.int(4);
      expect(contextFilterSafe(k, minLength, undefined)).toBe(true);
      const opts: ResolveOptions = { minLength, maxDistance: 0.1, k, gap: 8 + rng.int(40) };
      const outputs = Array.from({ length: 1 + rng.int(4) }, () => output(rng, docs));
      const shards = shardsOf(docs, rng, k, w);
      const batch = prepareBatch(outputs, k, false);
      const got = queryShards(shards, outputs, batch, { k, maxPostings: 0, frequentContext: true }, opts);
      outputs.forEach((o, i) => {
        const verbatim = got[i]!.filter((m) => m.exact).map(({ start, end, docId, docOffset }) => ({
          start,
          end,
          docId,
          docOffset,
        }));
        const want = referenceVerbatim(docs, o, minLength);
        expect(verbatim, `trial ${trial} output ${i}`).toEqual(want);
        exact += want.length;
      });
      for (const { shard } of shards) {
        const count = (on: boolean) =>
          [...shardSeeds(shard, batch, { k, maxPostings: 0, frequentContext: on }).values()].reduce(
            (n, list) => n + list.length,
            0,
          );
        seedsOn += count(true);
        seedsOff += count(false);
      }
    }
    expect(exact).toBeGreaterThan(50);
    // The filter really skips places (short matches of frequent k-grams).
    expect(seedsOn).toBeLessThan(seedsOff * 0.9);
  });

  it("is only safe with a character minimum of at least k + 2c - 1", () => {
    expect(contextFilterSafe(16, 31, undefined)).toBe(true); // c = 8
    expect(contextFilterSafe(16, 30, undefined)).toBe(false);
    expect(contextFilterSafe(7, 14, undefined)).toBe(true); // c = 4
    expect(contextFilterSafe(7, 13, undefined)).toBe(false);
    expect(contextFilterSafe(16, 50, 20)).toBe(false);
  });
});
