/** Messages between the corpus index and its worker threads. */
import type { StopTable } from "../match/frequent.js";
import type { HashFilter } from "../match/hash-filter.js";
import type { ResolveOptions } from "../match/resolve.js";
import type { ShardDoc } from "../match/shard-build.js";
import type { ShardHit } from "../match/shard-match.js";
import type { OutputBatch, SearchParams } from "../match/shard-search.js";

/** Build one shard and write it. */
export interface BuildRequest {
  readonly kind: "build";
  readonly bin: string;
  readonly ids: string;
  readonly docs: readonly ShardDoc[];
  readonly k: number;
  readonly w: number;
}

/** What a build wrote. */
export interface BuildResult {
  readonly docs: number;
  readonly units: number;
  readonly postings: number;
  readonly bytes: number;
  /** Heavy hashes of the shard: flat `[hash, count, ...]`. */
  readonly heavy: readonly number[];
  /** The shard's distinct hashes, ascending (for the index's `HashFilter`). */
  readonly distinct: Uint32Array;
}

/** Search a batch (SharedArrayBuffer-backed) in one shard. */
export interface QueryRequest {
  readonly kind: "query";
  readonly bin: string;
  readonly ids: string;
  readonly batch: OutputBatch;
  /** Distinct per batch in this process: shards of one batch share what they found (see `BatchMemo`). */
  readonly batchId: number;
  readonly search: SearchParams;
  readonly resolve: ResolveOptions;
  readonly firstRank: number;
  /** The shard's size decoded (`decodedBytes`): one larger than `cacheBytes` is read into the worker's arena. */
  readonly bytes: number;
  /** Bytes of decoded shards this worker may keep between requests. */
  readonly cacheBytes: number;
}

/** Prepare a batch of outputs (`prepareBatch`, shared arrays) on a worker; null when it is too wide. */
export interface PrepareRequest {
  readonly kind: "prepare";
  readonly outputs: readonly string[];
  readonly k: number;
  readonly filter?: HashFilter;
}

/** Read an index's frequent.bin into its stop table for a postings limit (shared arrays). */
export interface StopsRequest {
  readonly kind: "stops";
  readonly dir: string;
  readonly shards: number;
  readonly limit: number;
}

/** Read an index's filter.bin (shared words); null for an index without one. */
export interface FilterRequest {
  readonly kind: "filter";
  readonly dir: string;
}

export type WorkerRequest = BuildRequest | QueryRequest | PrepareRequest | StopsRequest | FilterRequest;

export type WorkerReply =
  | {
      readonly ok: true;
      readonly value: BuildResult | readonly ShardHit[] | OutputBatch | StopTable | HashFilter | null;
    }
  | { readonly ok: false; readonly message: string; readonly config: boolean };
