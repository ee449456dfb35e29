/**
 * Build one shard of the corpus index in memory: normalise each document (`text` form) into one unit
 * array, keep raw-offset breakpoints, sample every document's k-grams at a fixed stride and sort the
 * postings by hash.
 * Pure: documents in, typed arrays out (src/corpus/ writes them).
 */
import { placeContext, sampledCount, sampleKgrams } from "./fingerprint.js";
import { HEAVY_MIN, heavyHashes } from "./frequent.js";
import { normalizeInto, normalizeUtf8Into, type UnitSink, unitSink } from "./normalize-units.js";
import { sortPairsInPlace } from "./radix.js";
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
  /** Positions in `units` of the units above 255, ascending. */
  readonly wide: Uint32Array;
}

/** Fingerprint parameters: k-gram length and sampling stride `w` (spans of `k + w - 1` are guaranteed). */
export interface SampleParams {
  readonly k: number;
  readonly w: number;
}

/**
 * Big buffers of `buildShard`, kept between shards (a worker builds one shard after another: fresh
 * arrays of tens of MB per shard cost page faults and GC). Grown as needed, never shrunk.
 */
export interface BuildScratch {
  sink: UnitSink;
  hashes: Uint32Array;
  positions: Uint32Array;
  tmpKeys: Uint32Array;
  tmpVals: Uint32Array;
  contexts: Uint32Array;
}

/** Empty scratch buffers (they grow to the first shard's size). */
export function buildScratch(): BuildScratch {
  const none = new Uint32Array(0);
  return {
    sink: unitSink(1024, true),
    hashes: none,
    positions: none,
    tmpKeys: none,
    tmpVals: none,
    contexts: none,
  };
}

/** A Uint32Array of at least `n`, keeping the first `keep` values of `a`. */
function atLeast(a: Uint32Array, n: number, keep = 0): Uint32Array {
  if (a.length >= n) return a;
  const next = new Uint32Array(Math.max(n, Math.ceil(a.length * 1.25)));
  next.set(a.subarray(0, keep));
  return next;
}

/**
 * Normalise and fingerprint `docs` into one shard. With `scratch`, the shard's units, hashes, positions and
 * contexts are views into its buffers: valid until the next build with the same scratch.
 * @example buildShard([{ id: "a", text: "Some text", base: 0 }], { k: 16, w: 17 })
 */
export function buildShard(
  docs: readonly ShardDoc[],
  params: SampleParams,
  scratch: BuildScratch = buildScratch(),
): BuiltShard {
  const { k, w } = params;
  let rawTotal = 0;
  for (const d of docs) rawTotal += d.text.length; // bytes: at least the UTF-16 length
  // Exact (plus some room for later, larger shards) rather than doubling; expansions (NFKC) still grow it.
  if (scratch.sink.buf.length < rawTotal + 64 || scratch.sink.wide === undefined)
    scratch.sink = unitSink(Math.ceil((rawTotal + 64) * 1.125), true);
  const sink = scratch.sink;
  sink.len = 0;
  const wide = sink.wide!;
  wide.length = 0;
  const docStart = new Uint32Array(docs.length + 1);
  const breakStart = new Uint32Array(docs.length + 1);
  const bases = new Uint32Array(docs.length);
  const breaks: number[] = [];
  let hashes = atLeast(scratch.hashes, Math.ceil(rawTotal / w) + docs.length + 16);
  let positions = atLeast(scratch.positions, hashes.length);
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
    if (n + m > hashes.length) {
      const cap = Math.max(hashes.length * 2, n + m);
      hashes = atLeast(hashes, cap, n);
      positions = atLeast(positions, cap, n);
    }
    n = sampleKgrams(sink.buf, start, sink.len, k, w, hashes, positions, n);
  }
  docStart[docs.length] = sink.len;
  breakStart[docs.length] = breaks.length;
  scratch.tmpKeys = atLeast(scratch.tmpKeys, n);
  scratch.tmpVals = atLeast(scratch.tmpVals, n);
  scratch.hashes = hashes;
  scratch.positions = positions;
  sortPairsInPlace(hashes, positions, n, scratch.tmpKeys, scratch.tmpVals);
  const h = hashes.subarray(0, n);
  const p = positions.subarray(0, n);
  scratch.contexts = atLeast(scratch.contexts, n);
  const contexts = scratch.contexts.subarray(0, n);
  // The sort's buffers are free again: they hold the frequent postings' places while they are hashed.
  frequentContexts(sink.buf, docStart, h, p, k, contexts, scratch.tmpKeys, scratch.tmpVals);
  return {
    units: sink.buf.subarray(0, sink.len),
    docStart,
    hashes: h,
    positions: p,
    contexts,
    ids: docs.map((d) => d.id),
    bases,
    breaks: Uint32Array.from(breaks),
    breakStart,
    heavy: heavyHashes(h),
    wide: Uint32Array.from(wide),
  };
}

/**
 * `contextWord`s of the postings of frequent hashes (`HEAVY_MIN` or more in the shard; the only ones the
 * query checks by context, see `frequentContext` in shard-search.ts) into `out`; 0 for the others. They are
 * hashed in text order: their places are sorted first (in `at` and `idx`, free buffers of at least
 * `hashes.length`), so the reads of the text go forward instead of all over the shard.
 */
function frequentContexts(
  units: Uint16Array,
  docStart: Uint32Array,
  hashes: Uint32Array,
  positions: Uint32Array,
  k: number,
  out: Uint32Array,
  at: Uint32Array,
  idx: Uint32Array,
): void {
  out.fill(0);
  const n = hashes.length;
  let m = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && hashes[j] === hashes[i]) j++;
    for (let x = j - i >= HEAVY_MIN ? i : j; x < j; x++) {
      at[m] = positions[x]!;
      idx[m++] = x;
    }
    i = j;
  }
  sortPairsInPlace(at, idx, m, new Uint32Array(m), new Uint32Array(m));
  let d = 0;
  for (let y = 0; y < m; y++) {
    const p = at[y]!;
    while (docStart[d + 1]! <= p) d++;
    out[idx[y]!] = placeContext(units, p, docStart[d]!, docStart[d + 1]!, k);
  }
}
