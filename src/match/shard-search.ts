/**
 * Seed search of a batch of outputs in one shard of the corpus index: a merge-join of the outputs' sorted
 * k-gram hashes (every position) against the shard's sorted sampled hashes, then each hit verified and
 * extended to a maximal exact match. Pure: typed arrays in, seeds out.
 */
import type { StopTable } from "./frequent.js";
import type { Seed } from "./resolve.js";

/** One shard in memory. Positions are unit offsets into `units` (all documents, concatenated). */
export interface ShardTables {
  readonly units: Uint16Array;
  /** Unit offset of each document, plus the end: length `docs + 1`. */
  readonly docStart: Uint32Array;
  /** Sampled k-gram hashes, ascending; `positions` in the same order (ascending within a hash). */
  readonly hashes: Uint32Array;
  readonly positions: Uint32Array;
  /** `prefixDirectory(hashes)`. */
  readonly dir: Uint32Array;
}

/** Normalised outputs with their k-gram hashes, sorted by hash. */
export interface OutputBatch {
  readonly units: Uint16Array;
  /** Unit offset of each output, plus the end: length `outputs + 1`. */
  readonly bounds: Uint32Array;
  readonly keys: Uint32Array;
  /** Unit offset (in `units`) of each key's k-gram. */
  readonly vals: Uint32Array;
  readonly count: number;
}

/** Search settings. */
export interface SearchParams {
  readonly k: number;
  /** Postings checked per hash and shard (the first ones, in corpus order); 0 checks all. */
  readonly maxPostings: number;
  /** Hashes not checked in shards after the given one (see frequent.ts), with this shard's number. */
  readonly skip?: { readonly table: StopTable; readonly shard: number };
}

/** First index in `a[lo, hi)` with `a[i] >= x` (galloping from `lo`). */
function lowerBound(a: Uint32Array, lo: number, hi: number, x: number): number {
  let step = 1;
  let l = lo;
  let r = lo;
  while (r < hi && a[r]! < x) {
    l = r + 1;
    r = Math.min(hi, r + step);
    step *= 2;
  }
  while (l < r) {
    const m = (l + r) >>> 1;
    if (a[m]! < x) l = m + 1;
    else r = m;
  }
  return l;
}

function upperIndex(bounds: Uint32Array, q: number): number {
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const m = (lo + hi + 1) >>> 1;
    if (bounds[m]! <= q) lo = m;
    else hi = m - 1;
  }
  return lo;
}

/** Hits (output position, shard position) of equal hashes, at most `maxPostings` postings per hash. */
function join(
  shard: ShardTables,
  batch: OutputBatch,
  maxPostings: number,
  skip: SearchParams["skip"],
): { q: Uint32Array; t: Uint32Array; n: number } {
  const { hashes, positions, dir } = shard;
  const { keys, vals } = batch;
  let q = new Uint32Array(1024);
  let t = new Uint32Array(1024);
  let n = 0;
  let j = 0;
  let a = 0;
  const sh = skip?.table.hashes;
  const ss = skip?.table.shards;
  let sp = 0;
  while (a < batch.count) {
    const h = keys[a]!;
    let a2 = a + 1;
    while (a2 < batch.count && keys[a2] === h) a2++;
    if (sh !== undefined) {
      while (sp < sh.length && sh[sp]! < h) sp++;
      if (sp < sh.length && sh[sp] === h && ss![sp]! < skip!.shard) {
        a = a2;
        continue;
      }
    }
    const b = h >>> 16;
    const end = dir[b + 1]!;
    if (j < dir[b]!) j = dir[b]!;
    j = lowerBound(hashes, j, end, h);
    if (j < end && hashes[j] === h) {
      let j2 = j + 1;
      while (j2 < end && hashes[j2] === h) j2++;
      const stop = maxPostings > 0 ? Math.min(j2, j + maxPostings) : j2;
      const need = n + (a2 - a) * (stop - j);
      if (need > q.length) {
        let cap = q.length * 2;
        while (cap < need) cap *= 2;
        const nq = new Uint32Array(cap);
        nq.set(q.subarray(0, n));
        const nt = new Uint32Array(cap);
        nt.set(t.subarray(0, n));
        q = nq;
        t = nt;
      }
      for (let x = a; x < a2; x++) {
        const qp = vals[x]!;
        for (let y = j; y < stop; y++) {
          q[n] = qp;
          t[n++] = positions[y]!;
        }
      }
      j = j2;
    }
    a = a2;
  }
  return { q, t, n };
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

const Q_BITS = 2 ** 22;
const DIAG_SHIFT = 2 ** 22;

/**
 * Seeds of every output of the batch in this shard: maximal exact matches (shard-local document index,
 * output-relative and document-relative offsets) that contain a sampled k-gram of the shard.
 * Outputs longer than 4M units are searched in their first 4M units only.
 */
export function shardSeeds(
  shard: ShardTables,
  batch: OutputBatch,
  params: SearchParams,
): Map<number, Seed[]> {
  const { k } = params;
  const hits = join(shard, batch, params.maxPostings, params.skip);
  const out = new Map<number, Seed[]>();
  if (hits.n === 0) return out;
  const outputs = batch.bounds.length - 1;
  const owner = new Int32Array(hits.n);
  const counts = new Int32Array(outputs + 1);
  for (let i = 0; i < hits.n; i++) {
    const o = upperIndex(batch.bounds, hits.q[i]!);
    owner[i] = o;
    counts[o + 1]!++;
  }
  for (let o = 0; o < outputs; o++) counts[o + 1]! += counts[o]!;
  const fill = counts.slice(0, outputs);
  const order = new Int32Array(hits.n);
  for (let i = 0; i < hits.n; i++) order[fill[owner[i]!]!++] = i;
  const ou = batch.units;
  const su = shard.units;
  for (let o = 0; o < outputs; o++) {
    const from = counts[o]!;
    const to = counts[o + 1]!;
    if (from === to) continue;
    const qs = batch.bounds[o]!;
    const qe = batch.bounds[o + 1]!;
    const comp = new Float64Array(to - from);
    for (let x = from; x < to; x++) {
      const i = order[x]!;
      const lq = hits.q[i]! - qs;
      if (lq >= Q_BITS) {
        comp[x - from] = Number.MAX_VALUE;
        continue;
      }
      comp[x - from] = (hits.t[i]! - lq + DIAG_SHIFT) * Q_BITS + lq;
    }
    comp.sort();
    const seeds: Seed[] = [];
    let lastDiag = Number.NaN;
    let lastEnd = -1;
    for (let x = 0; x < comp.length; x++) {
      const c = comp[x]!;
      if (c === Number.MAX_VALUE) break;
      const lq = c % Q_BITS;
      const diag = (c - lq) / Q_BITS - DIAG_SHIFT;
      if (diag === lastDiag && lq < lastEnd) continue;
      const p = diag + lq;
      const qp = qs + lq;
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
      lastDiag = diag;
      lastEnd = e - qs;
    }
    if (seeds.length > 0) out.set(o, seeds);
  }
  return out;
}
