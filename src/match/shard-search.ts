/**
 * Seed search of a batch of outputs in one shard of the corpus index: a merge-join of the outputs' sorted
 * k-gram hashes (every position) against the shard's sorted sampled hashes, then each hit verified and
 * extended to a maximal exact match. Pure: typed arrays in, seeds out.
 */
import { contextUnits, placeContext } from "./fingerprint.js";
import { HEAVY_MIN, type StopTable } from "./frequent.js";
import { digitPass } from "./radix.js";
import type { Seed } from "./resolve.js";

/** One shard in memory. Positions are unit offsets into `units` (all documents, concatenated). */
export interface ShardTables {
  readonly units: Uint16Array;
  /** Unit offset of each document, plus the end: length `docs + 1`. */
  readonly docStart: Uint32Array;
  /** Sampled k-gram hashes, ascending; `positions` in the same order (ascending within a hash). */
  readonly hashes: Uint32Array;
  readonly positions: Uint32Array;
  /** `contextWord` of each posting, in the same order. */
  readonly contexts: Uint32Array;
}

/** Normalised outputs with their k-gram hashes, sorted by hash. */
export interface OutputBatch {
  readonly units: Uint16Array;
  /** Unit offset of each output, plus the end: length `outputs + 1`. */
  readonly bounds: Uint32Array;
  /**
   * The normaliser's breakpoints of all outputs, `(unit, raw offset)` pairs relative to each output (see
   * `normalizeInto`), output `o`'s at `[breakStart[o], breakStart[o + 1])`: raw offsets for the report
   * without normalising the outputs again.
   */
  readonly breaks: Uint32Array;
  readonly breakStart: Uint32Array;
  readonly keys: Uint32Array;
  /** Place of each key's k-gram: `output << shift | offset in the output`. */
  readonly vals: Uint32Array;
  /** Bits of the offset in `vals` (see `packShift`). */
  readonly shift: number;
  readonly count: number;
}

/** Search settings. */
export interface SearchParams {
  readonly k: number;
  /** Postings checked per hash and shard (the first ones, in corpus order); 0 checks all. */
  readonly maxPostings: number;
  /**
   * Seeds per exact output span after which further places inside that span are only checked for going
   * beyond it (two units compared instead of an extension; see `shardSeeds`). 0 extends every place.
   */
  readonly maxSpanSeeds?: number;
  /** Hashes not checked in shards after the given one (see frequent.ts), with this shard's number. */
  readonly skip?: { readonly table: StopTable; readonly shard: number };
  /**
   * For a k-gram with at least `HEAVY_MIN` postings in the shard, skip the places whose `contextWord`
   * differs from the output's in both halves: their match cannot reach c = `contextUnits(k)` units beyond
   * the k-gram on either side. Every place inside a match of at least `k + 2c - 1` units is kept (see
   * `shardSeeds`).
   */
  readonly frequentContext?: boolean;
}

/** Growable pair of hit arrays. */
interface Hits {
  q: Uint32Array;
  t: Uint32Array;
  n: number;
}

function grow(h: Hits, need: number): void {
  let cap = h.q.length * 2;
  while (cap < need) cap *= 2;
  const nq = new Uint32Array(cap);
  nq.set(h.q.subarray(0, h.n));
  const nt = new Uint32Array(cap);
  nt.set(h.t.subarray(0, h.n));
  h.q = nq;
  h.t = nt;
}

/**
 * Whether two context words (`contextWord`) may belong to one match that reaches `contextUnits(k)` units
 * beyond the k-gram on some side: one half equal, or unknown (0) on either place.
 */
function contextsMeet(a: number, b: number): boolean {
  const ah = a >>> 16;
  const bh = b >>> 16;
  if (ah === 0 || bh === 0 || ah === bh) return true;
  const al = a & 0xffff;
  const bl = b & 0xffff;
  return al === 0 || bl === 0 || al === bl;
}

/**
 * Hits (output position, shard position) of equal hashes, at most `maxPostings` postings per hash: one
 * merge of the two sorted lists. The outputs have many more k-grams than a shard has postings per hash
 * bucket, so the inner loop that steps over output keys is the hot one. With `frequentContext`, a frequent
 * hash's postings are paired only with output places whose context words meet (`contextsMeet`).
 */
function join(shard: ShardTables, batch: OutputBatch, params: SearchParams): Hits {
  const { k, maxPostings, skip } = params;
  const { hashes, positions, contexts } = shard;
  const { keys, vals, count, shift, units, bounds } = batch;
  const mask = 2 ** shift - 1;
  const heavy = params.frequentContext === true ? HEAVY_MIN : 0xffffffff;
  const hits: Hits = { q: new Uint32Array(1024), t: new Uint32Array(1024), n: 0 };
  const nj = hashes.length;
  const sh = skip?.table.hashes;
  const ss = skip?.table.shards;
  const me = skip?.shard ?? 0;
  let sp = 0;
  let a = 0;
  let j = 0;
  while (a < count && j < nj) {
    const x = keys[a]!;
    const y = hashes[j]!;
    if (x !== y) {
      // Step the smaller side without a branch on which it is: the two sides interleave at random, so a
      // branch there was mispredicted about every other step (the merge took 1.8x as long).
      const lt = +(x < y);
      a += lt;
      j += 1 - lt;
      continue;
    }
    let a2 = a + 1;
    while (a2 < count && keys[a2] === x) a2++;
    let j2 = j + 1;
    while (j2 < nj && hashes[j2] === x) j2++;
    if (sh !== undefined) {
      while (sp < sh.length && sh[sp]! < x) sp++;
      if (sp < sh.length && sh[sp] === x && ss![sp]! < me) {
        a = a2;
        j = j2;
        continue;
      }
    }
    const stop = maxPostings > 0 ? Math.min(j2, j + maxPostings) : j2;
    const need = hits.n + (a2 - a) * (stop - j);
    if (need > hits.q.length) grow(hits, need);
    const { q, t } = hits;
    let n = hits.n;
    if (j2 - j >= heavy) {
      for (let u = a; u < a2; u++) {
        const qp = vals[u]!;
        // The output's context word, from its text: only the places of frequent hashes need one.
        const o = qp >>> shift;
        const c = placeContext(units, bounds[o]! + (qp & mask), bounds[o]!, bounds[o + 1]!, k);
        for (let v = j; v < stop; v++) {
          if (!contextsMeet(c, contexts[v]!)) continue;
          q[n] = qp;
          t[n++] = positions[v]!;
        }
      }
    } else {
      for (let u = a; u < a2; u++) {
        const qp = vals[u]!;
        for (let v = j; v < stop; v++) {
          q[n] = qp;
          t[n++] = positions[v]!;
        }
      }
    }
    hits.n = n;
    a = a2;
    j = j2;
  }
  return hits;
}

/**
 * The hits grouped by output (`counts`: offsets, length outputs + 1), in diagonal order within an output,
 * offset order within a diagonal. One stable counting pass by output, then each output's hits (a few
 * thousand, in cache) by the shifted diagonal `d = t - offset + 2^shift`: by insertion when few, else by
 * passes of at most 10 bits, then each run of one diagonal (one copy of the output's text) by offset.
 * `q` holds the packed places, `d` the shifted diagonals. (A radix sort of all hits by diagonal before the
 * pass by output took 15% longer on the 1 GB bench: that pass scattered over 10,000 outputs at the end.)
 */
function byOutputAndDiagonal(
  hits: Hits,
  outputs: number,
  shift: number,
  shardUnits: number,
): { counts: Int32Array; q: Uint32Array; d: Uint32Array } {
  const n = hits.n;
  const bias = 2 ** shift;
  if (shardUnits + bias > 0xffffffff)
    throw new Error(`A shard of ${shardUnits} units is too large to search`);
  const mask = bias - 1;
  const q = hits.q;
  const d = hits.t;
  let widest = 0;
  for (let i = 0; i < n; i++) {
    d[i] = d[i]! + bias - (q[i]! & mask);
    widest |= d[i]!;
  }
  const counts = new Int32Array(outputs + 1);
  for (let i = 0; i < n; i++) counts[(q[i]! >>> shift) + 1]!++;
  for (let o = 0; o < outputs; o++) counts[o + 1]! += counts[o]!;
  const fill = counts.slice(0, outputs);
  const tq = new Uint32Array(n);
  const td = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const at = fill[q[i]! >>> shift]!++;
    tq[at] = q[i]!;
    td[at] = d[i]!;
  }
  // The hit arrays are free now: the passes go back and forth between them and (td, tq).
  const bits = 32 - Math.clz32(widest);
  const passes = Math.max(1, Math.ceil(bits / 10));
  const width = Math.ceil(bits / passes);
  const count = new Uint32Array(1 << width);
  for (let o = 0; o < outputs; o++) {
    const s = counts[o]!;
    const e = counts[o + 1]!;
    if (e - s <= 48) {
      byDiagonalThenOffset(td, tq, s, e);
      continue;
    }
    for (let pass = 0; pass < passes; pass++) {
      if (pass % 2 === 0) digitPass(td, tq, d, q, s, e, pass * width, width, count);
      else digitPass(d, q, td, tq, s, e, pass * width, width, count);
    }
    if (passes % 2 === 1) {
      td.set(d.subarray(s, e), s);
      tq.set(q.subarray(s, e), s);
    }
    // Runs of one diagonal, by offset (the places of one run are distinct).
    for (let i = s; i < e; ) {
      let j = i + 1;
      while (j < e && td[j] === td[i]) j++;
      if (j - i > 1) sortRun(tq, i, j);
      i = j;
    }
  }
  return { counts, q: tq, d: td };
}

/** Insertion sort of the pairs `(d, q)[s, e)` by `d`, then `q` (the pairs are distinct). */
function byDiagonalThenOffset(d: Uint32Array, q: Uint32Array, s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const vd = d[i]!;
    const vq = q[i]!;
    let j = i - 1;
    while (j >= s && (d[j]! > vd || (d[j] === vd && q[j]! > vq))) {
      d[j + 1] = d[j]!;
      q[j + 1] = q[j]!;
      j--;
    }
    d[j + 1] = vd;
    q[j + 1] = vq;
  }
}

/** Sort `a[s, e)` ascending: insertion for the usual short run, the native sort for a long one. */
function sortRun(a: Uint32Array, s: number, e: number): void {
  if (e - s > 32) {
    a.subarray(s, e).sort();
    return;
  }
  for (let i = s + 1; i < e; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= s && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

function docOf(docStart: Uint32Array, p: number): number {
  let lo = 0;
  let hi = docStart.length - 2;
  while (lo < hi) {
    const m = (lo + hi + 1) >>> 1;
    if (docStart[m]! <= p) lo = m;
    else hi = m - 1;
  }
  return lo;
}

/**
 * The end of a saturated span that holds the exact match through output offset `lq` (shard position `p`,
 * document [ds, de)), or -1: the diagonal differs from the output just before the span's start and just
 * after its end (or the document or output ends there), so no match on it can leave the span.
 */
function inside(
  full: readonly number[],
  lq: number,
  k: number,
  qs: number,
  qe: number,
  p: number,
  ds: number,
  de: number,
  ou: Uint16Array,
  su: Uint16Array,
): number {
  for (let i = 0; i < full.length; i += 2) {
    const a = full[i]!;
    const b = full[i + 1]!;
    if (lq < a || lq + k > b) continue;
    const l = p - (lq - a) - 1;
    const leftOut = a === 0 || l < ds || ou[qs + a - 1] !== su[l];
    const r = p + (b - lq);
    const rightOut = qs + b >= qe || r >= de || ou[qs + b] !== su[r];
    if (leftOut && rightOut) return b;
  }
  return -1;
}

/**
 * Seeds of every output of the batch in this shard: maximal exact matches (shard-local document index,
 * output-relative and document-relative offsets) that contain a sampled k-gram of the shard.
 *
 * Places are taken in corpus order within each diagonal order. Once `maxSpanSeeds` seeds share one exact
 * output span [a, b), a later place inside it is extended only if it matches at a - 1 or at b (where
 * every seed of that span stopped): otherwise its match lies inside [a, b) too, in a later document, and
 * adds nothing but work. Boilerplate found in thousands of documents is extended `maxSpanSeeds` times.
 *
 * With `frequentContext`, a place of a frequent k-gram at `p` is skipped when the c = `contextUnits(k)`
 * units before it and the c units after it (hashed into its context word) differ from the output's: its
 * match lies within `[p - c + 1, p + k + c - 1)`, at most `k + 2c - 2` units. A match `[A, A + len)` of
 * at least `k + 2c - 1` units keeps every place inside it (each `p` in `[A, A + len - k]` has `p - c >= A`
 * or `p + k + c <= A + len`), so when no shorter span can be reported (`contextFilterSafe`) the verbatim
 * spans are the same; only short matches of common phrases, most of the hits on natural text, lose
 * places. Near-verbatim chains lose those short seeds too.
 */
export function shardSeeds(
  shard: ShardTables,
  batch: OutputBatch,
  params: SearchParams,
): Map<number, Seed[]> {
  const { k } = params;
  const limit = params.maxSpanSeeds ?? 0;
  const hits = join(shard, batch, params);
  const out = new Map<number, Seed[]>();
  if (hits.n === 0) return out;
  const outputs = batch.bounds.length - 1;
  const { shift } = batch;
  const { counts, q: hq, d: hd } = byOutputAndDiagonal(hits, outputs, shift, shard.units.length);
  const bias = 2 ** shift;
  const mask = bias - 1;
  const ou = batch.units;
  const su = shard.units;
  for (let o = 0; o < outputs; o++) {
    const from = counts[o]!;
    const to = counts[o + 1]!;
    if (from === to) continue;
    const qs = batch.bounds[o]!;
    const qe = batch.bounds[o + 1]!;
    const seeds: Seed[] = [];
    const spanSeeds = new Map<number, number>();
    /** Saturated spans, flat [a, b, ...] (output-relative). */
    const full: number[] = [];
    let lastDiag = Number.NaN;
    let lastEnd = -1;
    for (let x = from; x < to; x++) {
      const lq = hq[x]! & mask;
      const diag = hd[x]! - bias;
      if (diag === lastDiag && lq < lastEnd) continue;
      const p = diag + lq;
      const qp = qs + lq;
      if (full.length > 0) {
        // First with the whole shard as the document: if the diagonal's text itself differs at both ends
        // of a saturated span, every match on it before the span's end lies in the span, whichever
        // document it is in (document bounds only stop an extension sooner) and whether or not this
        // k-gram really matches (a hash collision is skipped all the same). No document lookup needed.
        const b = inside(full, lq, k, qs, qe, p, 0, su.length, ou, su);
        if (b >= 0) {
          lastDiag = diag;
          lastEnd = b;
          continue;
        }
      }
      let ok = true;
      for (let u = 0; u < k; u++) {
        if (ou[qp + u] !== su[p + u]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const doc = docOf(shard.docStart, p);
      const ds = shard.docStart[doc]!;
      const de = shard.docStart[doc + 1]!;
      if (full.length > 0) {
        const b = inside(full, lq, k, qs, qe, p, ds, de, ou, su);
        if (b >= 0) {
          // Later places on this diagonal before b (in this document) are inside the span too.
          lastDiag = diag;
          lastEnd = Math.min(b, de - diag);
          continue;
        }
      }
      let a = qp;
      let b = p;
      while (a > qs && b > ds && ou[a - 1] === su[b - 1]) {
        a--;
        b--;
      }
      let e = qp + k;
      let f = p + k;
      while (e < qe && f < de && ou[e] === su[f]) {
        e++;
        f++;
      }
      seeds.push({ doc, oStart: a - qs, oEnd: e - qs, dStart: b - ds });
      if (limit > 0) {
        const key = (a - qs) * 2 ** 31 + (e - qs);
        const n = (spanSeeds.get(key) ?? 0) + 1;
        spanSeeds.set(key, n);
        if (n === limit) full.push(a - qs, e - qs);
      }
      lastDiag = diag;
      lastEnd = e - qs;
    }
    if (seeds.length > 0) out.set(o, seeds);
  }
  return out;
}

/**
 * Whether `frequentContext` leaves the verbatim spans unchanged: every reportable span has at least
 * `k + 2 * contextUnits(k) - 1` units (31 for k = 16; not with a token-based minimum, which admits shorter
 * spans).
 * @example contextFilterSafe(16, 50, undefined) // true
 */
export function contextFilterSafe(k: number, minLength: number, minTokens: number | undefined): boolean {
  return minTokens === undefined && minLength >= k + 2 * contextUnits(k) - 1;
}
