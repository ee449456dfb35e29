/**
 * Query an on-disk corpus index. `CorpusIndex.query` searches batches of outputs shard by shard on worker
 * threads (each worker keeps up to `cacheBytes` of decoded shards; the rest are re-read per batch, so
 * memory is bounded by shard size, workers and the cache, not by the corpus). `openIndexMatcherSync` loads
 * a small index whole for the synchronous `corpus` detector of a scan.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { joinBatches, prepareBatch, prepareBatches } from "../match/batch.js";
import { type CorpusMatch, type CorpusMatcher, DEFAULT_GAP } from "../match/corpus-naive.js";
import { type StopTable, stopTable } from "../match/frequent.js";
import type { HashFilter } from "../match/hash-filter.js";
import { mergeHits, queryShards, type RankedShard } from "../match/index-query.js";
import type { ResolveOptions } from "../match/resolve.js";
import type { ShardHit } from "../match/shard-match.js";
import { contextFilterSafe, type OutputBatch, type SearchParams } from "../match/shard-search.js";
import { decodedBytes, type Manifest, readManifest } from "./manifest.js";
import { WorkerPool } from "./pool.js";
import { FILTER, loadShardSync, readFilterSync, readHeavySync } from "./shard-file.js";

/** Options of a query. */
export interface QueryOptions {
  /** Shortest reported span (characters). Default: the index's min length. At least its guarantee. */
  readonly minLength?: number;
  /** Judge spans by whitespace-separated tokens instead (needs 2 * minTokens - 1 >= the guarantee). */
  readonly minTokens?: number;
  /** Largest normalised edit distance of a near-verbatim span. Default 0.1. */
  readonly maxDistance?: number;
  /**
   * Postings checked per k-gram and shard: the first ones in corpus order. Default 128. 0 checks all, and
   * also the places of frequent k-grams that `frequentContext` (shard-search.ts) would skip.
   */
  readonly maxPostings?: number;
  /** Seeds per exact output span and shard before later places are only checked for leaving it. Default 8; 0 off. */
  readonly maxSpanSeeds?: number;
  /** Outputs per batch. Default 10,000. */
  readonly batchSize?: number;
}

/** Options of `openIndex`. */
export interface OpenOptions {
  /** Worker threads. Default 2. */
  readonly workers?: number;
  /** Decoded shard bytes each worker may keep between batches. Default 128 MB. */
  readonly cacheBytes?: number;
}

/** Validated search and resolve settings for a manifest. */
export function settingsFor(m: Manifest, o: QueryOptions): { search: SearchParams; resolve: ResolveOptions } {
  const { k, guarantee } = m.params;
  const minLength = o.minLength ?? Math.max(m.params.minLength, guarantee);
  if (!Number.isInteger(minLength) || minLength < guarantee) {
    throw new ConfigError(
      `Expected --min-length >= ${guarantee} (the index guarantees spans of ${guarantee} characters), got ${minLength}; ` +
        "raise it or rebuild the index with a smaller --min-length.",
    );
  }
  if (o.minTokens !== undefined && (!Number.isInteger(o.minTokens) || 2 * o.minTokens - 1 < guarantee)) {
    throw new ConfigError(
      `Expected --min-tokens >= ${Math.ceil((guarantee + 1) / 2)} (${o.minTokens} tokens may fit in fewer than ` +
        `the ${guarantee} characters the index guarantees), got ${o.minTokens}; raise it or rebuild with a smaller --min-length.`,
    );
  }
  const maxDistance = o.maxDistance ?? 0.1;
  if (!(maxDistance >= 0 && maxDistance < 1)) {
    throw new ConfigError(`Expected --max-distance in [0, 1), got ${maxDistance}.`);
  }
  const maxPostings = o.maxPostings ?? 128;
  const maxSpanSeeds = o.maxSpanSeeds ?? 8;
  for (const [flag, v] of [
    ["max-postings", maxPostings],
    ["max-span-seeds", maxSpanSeeds],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new ConfigError(`Expected --${flag} to be a whole number >= 0 (0: no limit), got ${v}.`);
    }
  }
  // The frequent-k-gram context check goes with the postings limit: `--max-postings 0` checks every place.
  const frequentContext = maxPostings > 0 && contextFilterSafe(k, minLength, o.minTokens);
  return {
    search: { k, maxPostings, maxSpanSeeds, frequentContext },
    resolve: {
      minLength,
      maxDistance,
      k,
      gap: DEFAULT_GAP,
      ...(o.minTokens !== undefined ? { minTokens: o.minTokens } : {}),
    },
  };
}

let nextBatch = 0;

/** An open on-disk index with its worker pool. Close it when done. */
export class CorpusIndex {
  private pool: WorkerPool | null = null;
  /** Stop tables by postings limit (each query may set its own `maxPostings`), built on a worker. */
  private readonly stops = new Map<number, Promise<StopTable>>();
  /** The index's hash filter (read once, on a worker), null for an index without one. */
  private filter: Promise<HashFilter | null> | undefined;

  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    private readonly opts: OpenOptions,
  ) {}

  /** Open the index in `dir` (reads and validates the manifest). */
  static async open(dir: string, opts: OpenOptions = {}): Promise<CorpusIndex> {
    return new CorpusIndex(dir, await readManifest(dir), opts);
  }

  /**
   * Start what every query with these options needs first, on the workers: their start-up, the stop table
   * and the filter (about 0.3 s on the 1 GB bench). Call it before reading the outputs to overlap the two;
   * `query` waits for what is still running and reports its errors.
   * @example index.warm({ maxPostings: 128 }); const outputs = await readAll(); await index.query(outputs)
   */
  warm(o: QueryOptions = {}): void {
    const { search } = settingsFor(this.manifest, o);
    // Each promise handles its own failure by being forgotten: `query` asks again and reports it.
    this.stopTable(search.maxPostings);
    this.hashFilter();
  }

  /**
   * Matches of every output, in order.
   * @example (await index.query(["model output ..."]))[0] // CorpusMatch[]
   */
  async query(outputs: readonly string[], o: QueryOptions = {}): Promise<CorpusMatch[][]> {
    const { search, resolve } = settingsFor(this.manifest, o);
    const size = o.batchSize ?? 10_000;
    const pool = this.workers;
    // The batch needs the filter; only the search needs the stop table, which is built meanwhile.
    const stops = this.stopTable(search.maxPostings);
    const filter = (await this.hashFilter()) ?? undefined;
    const shards = this.manifest.shards;
    const cacheBytes = this.cacheBytes;
    const result: CorpusMatch[][] = [];
    for (let at = 0; at < outputs.length; at += size) {
      for (const { start, batch } of await this.prepare(outputs.slice(at, at + size), search.k, filter)) {
        const table = await stops;
        const part = outputs.slice(at + start, at + start + batch.bounds.length - 1);
        const batchId = nextBatch++;
        const hits = await this.searchShards((i, worker) =>
          pool.runOn<ShardHit[]>(worker, {
            kind: "query",
            bin: join(this.dir, shards[i]!.bin),
            ids: join(this.dir, shards[i]!.ids),
            batch,
            batchId,
            search: { ...search, skip: { table, shard: i } },
            resolve,
            firstRank: shards[i]!.firstRank,
            bytes: decodedBytes(shards[i]!),
            cacheBytes,
          }),
        );
        result.push(...mergeHits(part, batch, hits.flat()));
      }
    }
    return result;
  }

  /**
   * `prepareBatches(outputs)`, its two halves (by characters) prepared on two workers and joined: on the
   * main thread alone it took a second for the bench's 10,000 outputs, with both workers waiting. On this
   * thread when the halves would not fit one batch, or for one worker or output.
   */
  private async prepare(
    outputs: readonly string[],
    k: number,
    filter: HashFilter | undefined,
  ): Promise<{ start: number; batch: OutputBatch }[]> {
    const pool = this.pool!;
    if (pool.size >= 2 && outputs.length >= 2) {
      let total = 0;
      for (const o of outputs) total += o.length;
      let mid = 1;
      for (let acc = outputs[0]!.length; mid < outputs.length - 1 && acc < total / 2; mid++) {
        acc += outputs[mid]!.length;
      }
      const [a, b] = await Promise.all(
        [outputs.slice(0, mid), outputs.slice(mid)].map((part) =>
          pool.run<OutputBatch | null>({ kind: "prepare", outputs: part, k, ...(filter ? { filter } : {}) }),
        ),
      );
      const joined = a && b ? joinBatches(a, b, true) : undefined;
      if (joined !== undefined) return [{ start: 0, batch: joined }];
    }
    return prepareBatches(outputs, k, true, filter);
  }

  private get workers(): WorkerPool {
    this.pool ??= new WorkerPool(this.opts.workers ?? 2);
    return this.pool;
  }

  private get cacheBytes(): number {
    return this.opts.cacheBytes ?? 128 << 20;
  }

  /**
   * `run(shard, worker)` for every shard: a worker takes the next shard whenever it is free (the shards
   * finish together, whatever their sizes and the machine's load), except shards small enough for a
   * worker's cache, which go to the same worker every batch (shard % workers). Which worker searched a
   * shard does not change the results.
   */
  private async searchShards(
    run: (shard: number, worker: number) => Promise<ShardHit[]>,
  ): Promise<ShardHit[][]> {
    const size = this.pool!.size;
    const out: ShardHit[][] = [];
    const pinned: number[][] = Array.from({ length: size }, () => []);
    const free: number[] = [];
    this.manifest.shards.forEach((s, i) => {
      if (decodedBytes(s) <= this.cacheBytes) pinned[i % size]!.push(i);
      else free.push(i);
    });
    let next = 0;
    await Promise.all(
      pinned.map(async (mine, worker) => {
        for (const i of mine) out[i] = await run(i, worker);
        while (next < free.length) {
          const i = free[next++]!;
          out[i] = await run(i, worker);
        }
      }),
    );
    return out;
  }

  private stopTable(limit: number): Promise<StopTable> {
    let table = this.stops.get(limit);
    if (table === undefined) {
      table = this.workers.run<StopTable>({
        kind: "stops",
        dir: this.dir,
        shards: this.manifest.shards.length,
        limit,
      });
      // A failure is reported to this query, and the next one tries again.
      table.catch(() => this.stops.delete(limit));
      this.stops.set(limit, table);
    }
    return table;
  }

  private hashFilter(): Promise<HashFilter | null> {
    if (this.filter === undefined) {
      const filter = this.workers.run<HashFilter | null>({ kind: "filter", dir: this.dir });
      filter.catch(() => {
        this.filter = undefined;
      });
      this.filter = filter;
    }
    return this.filter;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/**
 * A synchronous in-process matcher over a whole index (every shard decoded in memory), for the `corpus`
 * detector. ConfigError when the index decoded (shards and hash filter) is larger than `maxBytes` (default
 * 1 GB; `corpusIndexMemoryMb` in a scan's config): query big indexes in batches with `memscan index query`.
 */
export async function openIndexMatcherSync(
  dir: string,
  o: QueryOptions & { maxBytes?: number } = {},
): Promise<CorpusMatcher> {
  const manifest = await readManifest(dir);
  const { search, resolve } = settingsFor(manifest, o);
  const filterBytes = await stat(join(dir, FILTER)).then(
    (st) => st.size,
    () => 0,
  );
  const bytes = manifest.shards.reduce((n, s) => n + decodedBytes(s), filterBytes);
  const max = o.maxBytes ?? 1 << 30;
  if (bytes > max) {
    const mb = (n: number) => Math.ceil(n / 2 ** 20);
    throw new ConfigError(
      `Expected a corpus index of at most ${mb(max)} MB in memory for a scan, found ${mb(bytes)} MB (${dir}); ` +
        `raise corpusIndexMemoryMb in the config to at least ${mb(bytes)}, or check the outputs afterwards ` +
        "with `memscan index query`.",
    );
  }
  const shards: RankedShard[] = manifest.shards.map((s) => ({
    shard: loadShardSync(join(dir, s.bin), join(dir, s.ids)),
    firstRank: s.firstRank,
  }));
  const table = stopTable(readHeavySync(dir, shards.length), search.maxPostings);
  const filter = readFilterSync(dir);
  return {
    find(output: string): CorpusMatch[] {
      if (output.length === 0 || shards.length === 0) return [];
      return queryShards(
        shards,
        [output],
        prepareBatch([output], search.k, false, filter),
        search,
        resolve,
        table,
      )[0]!;
    },
  };
}
