/**
 * Build one shard of the corpus index in memory: normalise each document (`text` form) into one unit
 * array, keep raw-offset breakpoints, sample every document's k-grams at a fixed stride and sort the
 * postings by hash.
 * Pure: documents in, typed arrays out (src/corpus/ writes them).
 */
import { sampledCount, sampleKgrams } from "./fingerprint.js";
import { heavyHashes } from "./frequent.js";
import { normalizeInto, normalizeUtf8Into, unitSink } from "./normalize-units.js";
import { prefixDirectory, sortPairs } from "./radix.js";
import type { ShardTables } from "./shard-search.js";

/**
 * One document (or part of one) to index: its text, or the UTF-8 bytes of it (decoded as
 * `Buffer#toString("utf8")` would; raw offsets count UTF-16 units of the decoded text either way).
 * `base` is the raw offset of this part in the whole document.
 */
export interface ShardDoc {
  readonly id: string;
  readonly text: string | Uint8Array;
  readonly base: number;
}

/** A built shard: the search tables plus ids and raw-offset breakpoints of each document. */
export interface BuiltShard extends ShardTables {
  readonly ids: readonly string[];
  readonly bases: Uint32Array;
  /** Flat `[unit, raw]` pairs per document; document `d` owns `breaks[breakStart[d], breakStart[d + 1])`. */
  readonly breaks: Uint32Array;
  readonly breakStart: Uint32Array;
  /** Heavy hashes (`heavyHashes`): flat `[hash, count, ...]`. */
  readonly heavy: readonly number[];
}

/** Fingerprint parameters: k-gram length and sampling stride `w` (spans of `k + w - 1` are guaranteed). */
export interface SampleParams {
  readonly k: number;
  readonly w: number;
}

/**
 * Normalise and fingerprint `docs` into one shard.
 * @example buildShard([{ id: "a", text: "Some text", base: 0 }], { k: 16, w: 17 })
 */
export function buildShard(docs: readonly ShardDoc[], params: SampleParams): BuiltShard {
  const { k, w } = params;
  let rawTotal = 0;
  for (const d of docs) rawTotal += d.text.length; // bytes: at least the UTF-16 length
  const sink = unitSink(Math.max(1024, rawTotal + 64));
  const docStart = new Uint32Array(docs.length + 1);
  const breakStart = new Uint32Array(docs.length + 1);
  const bases = new Uint32Array(docs.length);
  const breaks: number[] = [];
  let cap = Math.max(1024, Math.ceil(rawTotal / w) + docs.length + 16);
  let hashes = new Uint32Array(cap);
  let positions = new Uint32Array(cap);
  let n = 0;
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    const start = sink.len;
    docStart[d] = start;
    bases[d] = doc.base;
    breakStart[d] = breaks.length;
    if (typeof doc.text === "string") normalizeInto(doc.text, sink, breaks, doc.base);
    else normalizeUtf8Into(doc.text, sink, breaks, doc.base);
    const m = sampledCount(sink.len - start, k, w);
    if (n + m > cap) {
      cap = Math.max(cap * 2, n + m);
      const nh = new Uint32Array(cap);
      nh.set(hashes.subarray(0, n));
      hashes = nh;
      const np = new Uint32Array(cap);
      np.set(positions.subarray(0, n));
      positions = np;
    }
    n = sampleKgrams(sink.buf, start, sink.len, k, w, hashes, positions, n);
  }
  docStart[docs.length] = sink.len;
  breakStart[docs.length] = breaks.length;
  const sorted = sortPairs(hashes, positions, n);
  const h = sorted.keys;
  return {
    units: sink.buf.subarray(0, sink.len),
    docStart,
    hashes: h,
    positions: sorted.vals,
    dir: prefixDirectory(h, n),
    ids: docs.map((d) => d.id),
    bases,
    breaks: Uint32Array.from(breaks),
    breakStart,
    heavy: heavyHashes(h),
  };
}
