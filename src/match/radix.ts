/** Stable sort of (key, value) pairs by unsigned 32-bit key: LSD radix, two 16-bit passes. */

/**
 * Sort `keys[0, n)` ascending, moving `vals` along; equal keys keep their order. Two stable counting
 * passes (low 16 bits, then high 16 bits): O(n) whatever the key distribution (the frequent k-grams of
 * logs and boilerplate made the bucket-then-insertion sort this replaces quadratic). Returns new arrays.
 * @example sortPairs(Uint32Array.of(3, 1), Uint32Array.of(0, 1), 2) // keys [1, 3], vals [1, 0]
 */
export function sortPairs(
  keys: Uint32Array,
  vals: Uint32Array,
  n: number,
): { keys: Uint32Array; vals: Uint32Array } {
  const ok = keys.slice(0, n);
  const ov = vals.slice(0, n);
  sortPairsInPlace(ok, ov, n, new Uint32Array(n), new Uint32Array(n));
  return { keys: ok, vals: ov };
}

/**
 * `sortPairs` in place: `keys[0, n)` and `vals[0, n)` end up sorted, passing through `tmpKeys` and
 * `tmpVals` (at least `n` long; their contents are overwritten). No allocation but the two histograms.
 */
export function sortPairsInPlace(
  keys: Uint32Array,
  vals: Uint32Array,
  n: number,
  tmpKeys: Uint32Array,
  tmpVals: Uint32Array,
): void {
  const lo = new Uint32Array(65536);
  const hi = new Uint32Array(65537);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    lo[key & 0xffff]!++;
    hi[(key >>> 16) + 1]!++;
  }
  let sum = 0;
  for (let b = 0; b < 65536; b++) {
    const c = lo[b]!;
    lo[b] = sum;
    sum += c;
  }
  for (let b = 0; b < 65536; b++) hi[b + 1]! += hi[b]!;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const at = lo[key & 0xffff]!++;
    tmpKeys[at] = key;
    tmpVals[at] = vals[i]!;
  }
  for (let i = 0; i < n; i++) {
    const key = tmpKeys[i]!;
    const at = hi[key >>> 16]!++;
    keys[at] = key;
    vals[at] = tmpVals[i]!;
  }
}
