/**
 * k-gram fingerprints and robust winnowing (Schleimer, Wilkerson, Aiken 2003) over UTF-16 units.
 *
 * Hash of the k-gram at `p`: `fmix32(sum of u[p + j] * B^(k-1-j) mod 2^32)`, computed rolling. Winnowing
 * keeps, for every window of `w` consecutive k-grams, the rightmost smallest hash, unless the k-gram kept
 * for the previous window is still inside and has that same smallest hash (so a run of equal k-grams
 * keeps one every `w`). A text shorter than `w` k-grams is one window. Every window holds a kept k-gram, so
 * any common substring of at least `w + k - 1` units contains a kept k-gram of the corpus side.
 */

/** Multiplier of the polynomial hash (odd). */
export const HASH_BASE = 0x2f0b3a49;

/** Murmur3's finaliser: spreads the bits of the polynomial hash so that winnowing minima are unbiased. */
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
 * Robust winnowing of `hashes[0, count)` with window `w`: writes the kept indices, ascending, to `out`
 * and returns how many. `out` needs room for `count`. Tracks the window's rightmost minimum and rescans
 * the window only when it slides out (amortised O(1) per k-gram for random hashes).
 */
export function winnow(hashes: Uint32Array, count: number, w: number, out: Int32Array): number {
  if (count <= 0) return 0;
  if (count <= w) {
    let best = 0;
    for (let i = 1; i < count; i++) if (hashes[i]! <= hashes[best]!) best = i;
    out[0] = best;
    return 1;
  }
  let m = 0;
  for (let i = 1; i < w; i++) if (hashes[i]! <= hashes[m]!) m = i;
  let n = 0;
  out[n++] = m;
  let prev = m;
  for (let r = w; r < count; r++) {
    const lo = r - w + 1;
    const h = hashes[r]!;
    if (h <= hashes[m]!) m = r;
    else if (m < lo) {
      m = lo;
      for (let i = lo + 1; i <= r; i++) if (hashes[i]! <= hashes[m]!) m = i;
    }
    if (m === prev || (prev >= lo && hashes[prev]! === hashes[m]!)) continue;
    out[n++] = m;
    prev = m;
  }
  return n;
}
