/** Stable sort of (key, value) pairs by unsigned 32-bit key: a 16-bit bucket pass, then insertion sorts. */

/**
 * Sort `keys[0, n)` ascending, moving `vals` along; equal keys keep their order. One counting pass on the
 * top 16 bits, then an insertion sort inside each bucket (buckets are small for hashes). Returns new arrays.
 * @example sortPairs(Uint32Array.of(3, 1), Uint32Array.of(0, 1), 2) // keys [1, 3], vals [1, 0]
 */
export function sortPairs(
  keys: Uint32Array,
  vals: Uint32Array,
  n: number,
): { keys: Uint32Array; vals: Uint32Array } {
  const tk = new Uint32Array(n);
  const tv = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let i = 0; i < n; i++) count[(keys[i]! >>> 16) + 1]!++;
  for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
  const fill = count.slice(0, 65536);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const at = fill[key >>> 16]!++;
    tk[at] = key;
    tv[at] = vals[i]!;
  }
  for (let b = 0; b < 65536; b++) {
    const lo = count[b]!;
    const hi = count[b + 1]!;
    for (let i = lo + 1; i < hi; i++) {
      const key = tk[i]!;
      if (tk[i - 1]! <= key) continue;
      const val = tv[i]!;
      let j = i - 1;
      while (j >= lo && tk[j]! > key) {
        tk[j + 1] = tk[j]!;
        tv[j + 1] = tv[j]!;
        j--;
      }
      tk[j + 1] = key;
      tv[j + 1] = val;
    }
  }
  return { keys: tk, vals: tv };
}

/** Offsets of each 16-bit key prefix in sorted keys: `dir[b] .. dir[b + 1]` holds keys with `key >>> 16 === b`. */
export function prefixDirectory(keys: Uint32Array, n: number): Uint32Array {
  const dir = new Uint32Array(65537);
  for (let i = 0; i < n; i++) dir[(keys[i]! >>> 16) + 1]!++;
  for (let b = 0; b < 65536; b++) dir[b + 1]! += dir[b]!;
  return dir;
}
