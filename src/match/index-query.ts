/** Query shards in memory and merge their candidates into the matches of each output. */
import { type CorpusMatch, finishMatches } from "./corpus-naive.js";
import type { StopTable } from "./frequent.js";
import { rawSpansFrom } from "./normalize-units.js";
import type { ResolveOptions } from "./resolve.js";
import { batchMemo, matchShard, type ShardForMatch, type ShardHit } from "./shard-match.js";
import type { OutputBatch, SearchParams } from "./shard-search.js";

/** A shard and the rank of its first document in corpus order. */
export interface RankedShard {
  readonly shard: ShardForMatch;
  readonly firstRank: number;
}

/**
 * Matches of each output from the candidates of all shards (any order): raw spans, one match per span,
 * the earliest document on ties. `batch` is the outputs' prepared batch (for the normaliser's breakpoints).
 */
export function mergeHits(
  outputs: readonly string[],
  batch: OutputBatch,
  hits: readonly ShardHit[],
): CorpusMatch[][] {
  const byOutput = new Map<number, ShardHit[]>();
  for (const h of hits) {
    const list = byOutput.get(h.output);
    if (list === undefined) byOutput.set(h.output, [h]);
    else list.push(h);
  }
  const { bounds, breaks, breakStart } = batch;
  return outputs.map((o, i) => {
    const list = byOutput.get(i);
    if (list === undefined) return [];
    return finishMatches(
      rawSpansFrom(o, bounds[i + 1]! - bounds[i]!, breaks, breakStart[i]!, breakStart[i + 1]!),
      list,
      (c) => c.docOffset,
      (c) => c.docId,
    );
  });
}

/**
 * Search a prepared batch in every shard, in this thread.
 * @example queryShards(shards, outputs, prepareBatch(outputs, 16, false), search, resolve)
 */
export function queryShards(
  shards: readonly RankedShard[],
  outputs: readonly string[],
  batch: OutputBatch,
  search: SearchParams,
  resolve: ResolveOptions,
  stops?: StopTable,
): CorpusMatch[][] {
  const hits: ShardHit[] = [];
  const memo = batchMemo();
  shards.forEach(({ shard, firstRank }, i) => {
    const s = stops === undefined ? search : { ...search, skip: { table: stops, shard: i } };
    hits.push(...matchShard(shard, batch, s, resolve, firstRank, memo));
  });
  return mergeHits(outputs, batch, hits);
}
