/**
 * Frequent k-grams across shards. Each shard reports its heavy hashes (at least `HEAVY_MIN` postings);
 * a hash whose postings, counted shard by shard in corpus order, reach the per-k-gram limit is not
 * checked in later shards: its first places in the corpus have been checked already. This bounds the
 * work on boilerplate and logs by the limit, not by the number of shards.
 */

/** Postings a hash needs in one shard to be reported as heavy. */
export const HEAVY_MIN = 16;

/**
 * Postings a hash needs in one shard for its places to carry context words and be checked by them
 * (`frequentContext` in shard-search.ts): text found a few times per shard is mostly short common phrases.
 */
export const CONTEXT_MIN = 4;

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

/**
 * The stop table from heavy lists per shard (index = shard number, corpus order).
 * @example stopTable([[7, 300]], 256) // hashes [7], shards [0]
 */
export function stopTable(heavy: readonly (readonly number[])[], limit: number, shared = false): StopTable {
  const triples: [number, number, number][] = [];
  heavy.forEach((list, shard) => {
    for (let i = 0; i < list.length; i += 2) triples.push([list[i]!, shard, list[i + 1]!]);
  });
  triples.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hs: number[] = [];
  const ss: number[] = [];
  let i = 0;
  while (i < triples.length) {
    const h = triples[i]![0];
    let sum = 0;
    let stop = -1;
    for (; i < triples.length && triples[i]![0] === h; i++) {
      sum += triples[i]![2];
      if (stop < 0 && limit > 0 && sum >= limit) stop = triples[i]![1];
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
