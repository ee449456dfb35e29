/** Worker thread entry: builds shards and searches batches in shards (keeping some decoded shards cached). */
import { parentPort } from "node:worker_threads";
import { ConfigError, errorMessage } from "../core/errors.js";
import { BatchTooWide, prepareBatch } from "../match/batch.js";
import { type StopTable, stopTable } from "../match/frequent.js";
import { distinctSorted, type HashFilter, sharedFilter } from "../match/hash-filter.js";
import { type BuildScratch, buildScratch, buildShard } from "../match/shard-build.js";
import { type BatchMemo, batchMemo, matchShard, type ShardForMatch } from "../match/shard-match.js";
import type { OutputBatch } from "../match/shard-search.js";
import { loadShard, readFilter, readHeavy, ShardArena, type WriteScratch, writeShard } from "./shard-file.js";
import type { BuildResult, QueryRequest, WorkerReply, WorkerRequest } from "./worker-protocol.js";

const cache = new Map<string, { shard: ShardForMatch; bytes: number }>();
/** Where the shards too large to keep are read, one after the other. */
const arena = new ShardArena();
/** Near-verbatim results of the current batch over the shards this worker searched (see `BatchMemo`). */
let memo: { batch: number; shared: BatchMemo } = { batch: -1, shared: batchMemo() };
/** Build buffers reused from shard to shard (created by the first build: query workers never hold them). */
let scratch: BuildScratch | undefined;
let packed: WriteScratch | undefined;

function shardBytes(s: ShardForMatch): number {
  const postings = s.hashes.byteLength + s.positions.byteLength + s.contexts.byteLength;
  return s.units.byteLength + postings + s.breaks.byteLength + s.docStart.byteLength * 2;
}

async function shardFor(req: QueryRequest): Promise<ShardForMatch> {
  const hit = cache.get(req.bin);
  if (hit !== undefined) {
    cache.delete(req.bin);
    cache.set(req.bin, hit);
    return hit.shard;
  }
  if (req.bytes > req.cacheBytes) return loadShard(req.bin, req.ids, arena);
  const shard = await loadShard(req.bin, req.ids);
  const bytes = shardBytes(shard);
  let total = bytes;
  for (const v of cache.values()) total += v.bytes;
  for (const [key, v] of cache) {
    if (total <= req.cacheBytes) break;
    cache.delete(key);
    total -= v.bytes;
  }
  if (bytes <= req.cacheBytes) cache.set(req.bin, { shard, bytes });
  return shard;
}

async function handle(
  req: WorkerRequest,
): Promise<BuildResult | ReturnType<typeof matchShard> | OutputBatch | StopTable | HashFilter | null> {
  if (req.kind === "stops") return stopTable(await readHeavy(req.dir, req.shards), req.limit, true);
  if (req.kind === "filter") {
    const f = await readFilter(req.dir);
    return f === undefined ? null : sharedFilter(f);
  }
  if (req.kind === "prepare") {
    try {
      return prepareBatch(req.outputs, req.k, true, req.filter);
    } catch (err) {
      if (err instanceof BatchTooWide) return null; // the caller splits the batch
      throw err;
    }
  }
  if (req.kind === "build") {
    scratch ??= buildScratch();
    const shard = buildShard(req.docs, { k: req.k, w: req.w }, scratch);
    packed ??= { bytes: new Uint8Array(0) };
    const bytes = await writeShard(req.bin, req.ids, shard, packed);
    return {
      docs: shard.ids.length,
      units: shard.units.length,
      postings: shard.hashes.length,
      bytes,
      heavy: shard.heavy,
      distinct: distinctSorted(shard.hashes),
    };
  }
  const shard = await shardFor(req);
  if (memo.batch !== req.batchId) memo = { batch: req.batchId, shared: batchMemo() };
  return matchShard(shard, req.batch, req.search, req.resolve, req.firstRank, memo.shared);
}

parentPort?.on("message", (req: WorkerRequest) => {
  handle(req).then(
    (value) => parentPort?.postMessage({ ok: true, value } satisfies WorkerReply),
    (err: unknown) =>
      parentPort?.postMessage({
        ok: false,
        message: errorMessage(err),
        config: err instanceof ConfigError,
      } satisfies WorkerReply),
  );
});
