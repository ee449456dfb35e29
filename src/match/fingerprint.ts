/**
 * k-gram fingerprints over UTF-16 units.
 *
 * Hash of the k-gram at `p`: `fmix32(sum of u[p + j] * B^(k-1-j) mod 2^32)`, computed rolling. Queries hash
 * every k-gram of an output (`kgramHashes`); the index keeps every `stride`-th k-gram of each document
 * (`sampleKgrams`).
 */

/** Multiplier of the polynomial hash (odd). */
export const HASH_BASE = 0x2f0b3a49;

/** Murmur3's finaliser: spreads the bits of the polynomial hash (hash-prefix buckets stay balanced). */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** B^e mod 2^32. */
export function basePower(e: number): number {
  let p = 1;
  for (let i = 0; i < e; i++) p = Math.imul(p, HASH_BASE);
  return p;
}

/**
 * Hashes of the k-grams of `u[start, end)` into `out[0 ..)`: `out[i]` is the k-gram at `start + i`.
 * Returns the count (`max(0, end - start - k + 1)`); `out` must have room for it.
 */
export function kgramHashes(u: Uint16Array, start: number, end: number, k: number, out: Uint32Array): number {
  const count = end - start - k + 1;
  if (count <= 0) return 0;
  const top = basePower(k - 1);
  let h = 0;
  for (let j = start; j < start + k; j++) h = (Math.imul(h, HASH_BASE) + u[j]!) | 0;
  out[0] = fmix32(h);
  for (let i = 1; i < count; i++) {
    const p = start + i;
    h = (Math.imul((h - Math.imul(u[p - 1]!, top)) | 0, HASH_BASE) + u[p + k - 1]!) | 0;
    out[i] = fmix32(h);
  }
  return count;
}

/**
 * The hash of the k-gram at `p` of `u` (what `kgramHashes` gives there), by Horner's rule.
 * @example kgramHashAt(u, 5, 16) === hashes[5] // for hashes from kgramHashes(u, 0, u.length, 16, hashes)
 */
export function kgramHashAt(u: Uint16Array, p: number, k: number): number {
  // Two interleaved chains in B^2 (units at odd and even distance from the end), joined as a * B + b:
  // the same sum mod 2^32 with half the multiply latency.
  const b2 = Math.imul(HASH_BASE, HASH_BASE);
  const odd = k & 1;
  let a = 0;
  let b = odd === 1 ? u[p]! : 0;
  for (let j = p + odd; j < p + k; j += 2) {
    a = (Math.imul(a, b2) + u[j]!) | 0;
    b = (Math.imul(b, b2) + u[j + 1]!) | 0;
  }
  return fmix32((Math.imul(a, HASH_BASE) + b) | 0);
}

/**
 * Half of a place's context word: the top 16 bits of a k-gram hash, never 0 (0 marks "no k-gram there").
 * @example contextHalf(0x0000ffff) // 1
 */
export function contextHalf(hash: number): number {
  return hash >>> 16 || 1;
}

/**
 * Units hashed on each side of a k-gram into its context word: half the k-gram. Every place of a match of
 * at least `k + 2c - 1` units has a side inside the match (see `shardSeeds`); a shorter side than k keeps
 * more seeds of near-verbatim copies, whose exact runs between edits are short (on the 1 GB bench, sides of
 * 8 kept 95.68% near-verbatim recall where sides of 16 kept 95.13%, for the same speed).
 * @example contextUnits(16) // 8
 */
export function contextUnits(k: number): number {
  return Math.ceil(k / 2);
}

/**
 * Context word of a k-gram at `p` in a text `[start, end)`, from the `contextHalf`s of the hashes of the
 * `c = contextUnits(k)` units before it, `[p - c, p)` (high 16 bits; pass 0 when `p - c < start`), and
 * after it, `[p + k, p + k + c)` (low 16 bits; 0 when `p + k + c > end`). Two places whose words differ in
 * both halves cannot share a match that reaches c units beyond their k-gram on either side (see
 * `shardSeeds`). 0 means "unknown": such a place is always checked.
 * @example contextWord(contextHalf(0x12345678), contextHalf(0x9abcdef0)) // 0x12349abc
 */
export function contextWord(prevHalf: number, nextHalf: number): number {
  return ((prevHalf << 16) | nextHalf) >>> 0;
}

/**
 * `contextWord` of the k-gram at `p` of a text `u[start, end)` (a document, or an output): both sides hashed
 * by Horner's rule, 0 for a side that leaves the text.
 * @example placeContext(u, 40, 0, u.length, 16) // (half of the hash of u[32, 40)) << 16 | half of u[56, 64)'s
 */
export function placeContext(u: Uint16Array, p: number, start: number, end: number, k: number): number {
  const c = contextUnits(k);
  const prev = p - c >= start ? contextHalf(kgramHashAt(u, p - c, c)) : 0;
  return contextWord(prev, p + k + c <= end ? contextHalf(kgramHashAt(u, p + k, c)) : 0);
}

/**
 * Fingerprints of a document kept by the index: the k-grams starting at document offsets 0, `stride`,
 * `2 * stride`, ... of `u[start, end)`, appended at `hashes[n ..)` and `positions[n ..)` (positions are
 * offsets in `u`). Returns the new count. The query side hashes every position, so sampling one side at a
 * fixed stride is enough for the guarantee: any common substring of at least `k + stride - 1` units holds
 * `stride` consecutive k-gram starts of the document, one of which is sampled. (Winnowing, which both
 * sides must share, costs a second pass and keeps about twice as many k-grams for the same window.)
 */
export function sampleKgrams(
  u: Uint16Array,
  start: number,
  end: number,
  k: number,
  stride: number,
  hashes: Uint32Array,
  positions: Uint32Array,
  n: number,
): number {
  let at = n;
  // Horner's rule at each sampled start: k multiply-adds per `stride` units, less than rolling over all.
  for (let p = start; p + k <= end; p += stride) {
    hashes[at] = kgramHashAt(u, p, k);
    positions[at++] = p;
  }
  return at;
}

/** Fingerprints `sampleKgrams` keeps for `units` k-gram starts: `ceil(count / stride)`. */
export function sampledCount(units: number, k: number, stride: number): number {
  const count = units - k + 1;
  return count <= 0 ? 0 : Math.ceil(count / stride);
}
