/**
 * Frequent k-grams across shards. Each shard reports its heavy hashes (at least `HEAVY_MIN` postings);
 * a hash whose postings, counted shard by shard in corpus order, reach the per-k-gram limit is not
 * checked in later shards: its first places in the corpus have been checked already. This bounds the
 * work on boilerplate and logs by the limit, not by the number of shards.
 */
import { sortPairsInPlace } from "./radix.js";

/**
 * Postings a hash needs in one shard to be reported as heavy, and to carry context words (`frequentContext`
 * in shard-search.ts): text found a few times per shard is mostly short common phrases. Counting such
 * hashes toward the stop table as well (16 before) made the 1 GB bench query 1.17x faster with the same
 * exact matches; 2 made frequent.bin 53 MB and the query slower.
 */
export const HEAVY_MIN = 4;

/** Heavy hashes of sorted `hashes`: flat `[hash, count, ...]`. */
export function heavyHashes(hashes: Uint32Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < hashes.length) {
    let j = i + 1;
    while (j < hashes.length && hashes[j] === hashes[i]) j++;
    if (j - i >= HEAVY_MIN) out.push(hashes[i]!, j - i);
    i = j;
  }
  return out;
}

/** For each saturated hash (ascending), the shard where its running count reached `limit`. */
export interface StopTable {
  readonly hashes: Uint32Array;
  readonly shards: Uint32Array;
}

/** Heavy hashes of one shard, flat `[hash, count, ...]` (`heavyHashes`, or read from frequent.bin). */
export type HeavyList = ArrayLike<number>;

/**
 * The stop table from heavy lists per shard (index = shard number, corpus order): one stable radix sort
 * of the (hash, list position) pairs, so each hash's shards stay in corpus order, then one pass.
 * @example stopTable([[7, 300]], 256) // hashes [7], shards [0]
 */
export function stopTable(heavy: readonly HeavyList[], limit: number, shared = false): StopTable {
  let n = 0;
  for (const list of heavy) n += list.length >>> 1;
  const keys = new Uint32Array(n);
  const at = new Uint32Array(n);
  const shardOf = new Uint32Array(n);
  const counts = new Uint32Array(n);
  let m = 0;
  heavy.forEach((list, shard) => {
    for (let i = 0; i + 1 < list.length; i += 2, m++) {
      keys[m] = list[i]!;
      at[m] = m;
      shardOf[m] = shard;
      counts[m] = list[i + 1]!;
    }
  });
  sortPairsInPlace(keys, at, n, new Uint32Array(n), new Uint32Array(n));
  const hs: number[] = [];
  const ss: number[] = [];
  let i = 0;
  while (i < n) {
    const h = keys[i]!;
    let sum = 0;
    let stop = -1;
    for (; i < n && keys[i] === h; i++) {
      sum += counts[at[i]!]!;
      if (stop < 0 && limit > 0 && sum >= limit) stop = shardOf[at[i]!]!;
    }
    if (stop >= 0) {
      hs.push(h);
      ss.push(stop);
    }
  }
  const mk = (xs: number[]) => {
    const a = shared
      ? new Uint32Array(new SharedArrayBuffer(Math.max(4, xs.length * 4)))
      : new Uint32Array(xs.length);
    a.set(xs);
    return a;
  };
  return { hashes: mk(hs), shards: mk(ss) };
}
