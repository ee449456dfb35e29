/** Stable LSD radix sort of (key, value) pairs by unsigned 32-bit key, two 16-bit passes. */

/**
 * Sort `keys[0, n)` ascending, moving `vals` along; equal keys keep their order. Returns the sorted pair
 * (possibly the scratch arrays, which must be as long as the inputs; pass null to allocate).
 * @example sortPairs(Uint32Array.of(3, 1), Uint32Array.of(0, 1), 2) // keys [1, 3], vals [1, 0]
 */
export function sortPairs(
  keys: Uint32Array,
  vals: Uint32Array,
  n: number,
  scratch: { keys: Uint32Array; vals: Uint32Array } | null = null,
): { keys: Uint32Array; vals: Uint32Array } {
  const tk = scratch?.keys ?? new Uint32Array(n);
  const tv = scratch?.vals ?? new Uint32Array(n);
  const count = new Uint32Array(65536);
  // pass 1: low 16 bits, keys -> t
  for (let i = 0; i < n; i++) count[keys[i]! & 0xffff]!++;
  let sum = 0;
  for (let b = 0; b < 65536; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const at = count[key & 0xffff]!++;
    tk[at] = key;
    tv[at] = vals[i]!;
  }
  // pass 2: high 16 bits, t -> keys
  count.fill(0);
  for (let i = 0; i < n; i++) count[tk[i]! >>> 16]!++;
  sum = 0;
  for (let b = 0; b < 65536; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const key = tk[i]!;
    const at = count[key >>> 16]!++;
    keys[at] = key;
    vals[at] = tv[i]!;
  }
  return { keys, vals };
}

/** Offsets of each 16-bit key prefix in sorted keys: `dir[b] .. dir[b + 1]` holds keys with `key >>> 16 === b`. */
export function prefixDirectory(keys: Uint32Array, n: number): Uint32Array {
  const dir = new Uint32Array(65537);
  for (let i = 0; i < n; i++) dir[(keys[i]! >>> 16) + 1]!++;
  for (let b = 0; b < 65536; b++) dir[b + 1]! += dir[b]!;
  return dir;
}
