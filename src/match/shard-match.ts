/** Verbatim and near-verbatim candidates of a batch of outputs in one shard (seeds, then `resolveSeeds`). */
import { rawStart } from "./normalize-units.js";
import { type DocText, type ResolveOptions, resolveSeeds, type SpanMemo, unitsToString } from "./resolve.js";
import { type OutputBatch, type SearchParams, type ShardTables, shardSeeds } from "./shard-search.js";

/** A shard with what is needed to report: document ids and raw-offset breakpoints. */
export interface ShardForMatch extends ShardTables {
  readonly ids: readonly string[];
  readonly breaks: Uint32Array;
  readonly breakStart: Uint32Array;
}

/** One candidate span of output `output` (normalised output offsets; raw document offset). */
export interface ShardHit {
  readonly output: number;
  /** Rank of the document in corpus order. */
  readonly doc: number;
  readonly docId: string;
  readonly oStart: number;
  readonly oEnd: number;
  readonly dStart: number;
  readonly docOffset: number;
  readonly distance: number;
}

/**
 * Search `batch` in `shard` (documents ranked from `firstRank`).
 * @example matchShard(shard, prepareBatch(outputs, 16, false), { k: 16, maxPostings: 0 }, resolveOpts, 0)
 */
export function matchShard(
  shard: ShardForMatch,
  batch: OutputBatch,
  search: SearchParams,
  resolve: ResolveOptions,
  firstRank: number,
  memo?: BatchMemo,
): ShardHit[] {
  const seeds = shardSeeds(shard, batch, search);
  const { units, docStart } = shard;
  const text: DocText = { units, start: (d) => docStart[d]!, end: (d) => docStart[d + 1]! };
  const hits: ShardHit[] = [];
  for (const [o, list] of seeds) {
    const qs = batch.bounds[o]!;
    const qe = batch.bounds[o + 1]!;
    let out = memo?.texts.get(o);
    if (out === undefined) {
      out = unitsToString(batch.units, qs, qe);
      memo?.texts.set(o, out);
    }
    const spans = memo === undefined ? undefined : spanMemo(memo, o, firstRank);
    for (const c of resolveSeeds(out, list, text, resolve, spans, batch.units.subarray(qs, qe))) {
      const from = shard.breakStart[c.doc]!;
      const to = shard.breakStart[c.doc + 1]!;
      hits.push({
        output: o,
        doc: firstRank + c.doc,
        docId: shard.ids[c.doc]!,
        oStart: c.oStart,
        oEnd: c.oEnd,
        dStart: c.dStart,
        docOffset: rawStart(shard.breaks, from, to, c.dStart),
        distance: c.distance,
      });
    }
  }
  return bestPerSpan(hits);
}

/**
 * What the shards of one batch searched so far share, per output: the best near-verbatim result per
 * normalised span (`[edits, document rank]` keyed by `oStart * 2^31 + oEnd`) and the output's text.
 */
export interface BatchMemo {
  readonly spans: Map<number, Map<number, readonly [number, number]>>;
  readonly texts: Map<number, string>;
}

/** An empty memo for a new batch. */
export function batchMemo(): BatchMemo {
  return { spans: new Map(), texts: new Map() };
}

function spanMemo(memo: BatchMemo, output: number, firstRank: number): SpanMemo {
  let spans = memo.spans.get(output);
  return {
    beaten(oStart, oEnd, distance, doc) {
      const prior = spans?.get(oStart * 2 ** 31 + oEnd);
      return (
        prior !== undefined && (prior[0] < distance || (prior[0] === distance && prior[1] < firstRank + doc))
      );
    },
    record(oStart, oEnd, distance, doc) {
      if (spans === undefined) {
        spans = new Map();
        memo.spans.set(output, spans);
      }
      spans.set(oStart * 2 ** 31 + oEnd, [distance, firstRank + doc]);
    },
  };
}

/**
 * One hit per (output, normalised span): the closest, then the earliest document and offset. The same
 * span found in many documents (boilerplate) then crosses the thread boundary once; `dedupe` would keep
 * only this one anyway.
 */
function bestPerSpan(hits: readonly ShardHit[]): ShardHit[] {
  const best = new Map<string, ShardHit>();
  for (const h of hits) {
    const key = `${h.output}:${h.oStart}:${h.oEnd}`;
    const cur = best.get(key);
    if (
      cur === undefined ||
      h.distance < cur.distance ||
      (h.distance === cur.distance && (h.doc < cur.doc || (h.doc === cur.doc && h.docOffset < cur.docOffset)))
    )
      best.set(key, h);
  }
  return [...best.values()];
}
