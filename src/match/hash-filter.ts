/**
 * Which k-gram hashes an index holds, approximately: one bit per value of a hash's top `bits` bits, set when
 * some shard has a posting with that prefix. A query drops every output k-gram whose bit is clear before it
 * sorts and joins the batch: such a k-gram matches no shard. There are no false negatives, so results do not
 * change; a false positive only costs a join step. On the 1 GB bench 9% of the outputs' 15.6M k-grams occur
 * in the index at all, and each shard's join walked all of them.
 */

/**
 * Prefix bits of a filter for an index of about `postings` fingerprints: 4 to 8 bits per posting (a few
 * percent of the bits set for natural text, whose postings are about a third distinct), 2^13 to 2^30.
 * @example filterBits(63e6) // 28: 32 MB for the 1 GB bench
 */
export function filterBits(postings: number): number {
  return Math.min(30, Math.max(13, Math.ceil(Math.log2(Math.max(1, postings * 4)))));
}

/** A filter: 2^bits bits in 32-bit words. */
export interface HashFilter {
  readonly bits: number;
  readonly words: Uint32Array;
}

/** An empty filter of 2^bits bits. */
export function emptyFilter(bits: number): HashFilter {
  return { bits, words: new Uint32Array(2 ** Math.max(0, bits - 5)) };
}

/** The filter in a SharedArrayBuffer, so that worker threads read it without a copy per request. */
export function sharedFilter(f: HashFilter): HashFilter {
  const words = new Uint32Array(new SharedArrayBuffer(Math.max(4, f.words.byteLength)));
  words.set(f.words);
  return { bits: f.bits, words };
}

/** Set the bits of `hashes` (any order, repeats allowed). */
export function addHashes(f: HashFilter, hashes: ArrayLike<number>): void {
  const shift = 32 - f.bits;
  const w = f.words;
  for (let i = 0; i < hashes.length; i++) {
    const p = hashes[i]! >>> shift;
    w[p >>> 5]! |= 1 << (p & 31);
  }
}

/**
 * False only when no posting of the index has hash `h`.
 * @example mayHold(f, h) // true for every hash added with addHashes
 */
export function mayHold(f: HashFilter, h: number): boolean {
  const p = h >>> (32 - f.bits);
  return (f.words[p >>> 5]! & (1 << (p & 31))) !== 0;
}

/** The distinct values of ascending `hashes` (what a build worker hands back for the filter). */
export function distinctSorted(hashes: Uint32Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) n++;
  const out = new Uint32Array(n);
  n = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) out[n++] = hashes[i]!;
  return out;
}
