/** A batch of outputs prepared for the shard search: normalised units and k-gram hashes sorted by hash. */
import { kgramHashes } from "./fingerprint.js";
import { normalizeInto, unitSink } from "./normalize-units.js";
import { sortPairsInPlace } from "./radix.js";
import type { OutputBatch } from "./shard-search.js";

function alloc32(n: number, shared: boolean): Uint32Array {
  return shared ? new Uint32Array(new SharedArrayBuffer(Math.max(4, n * 4))) : new Uint32Array(n);
}

/**
 * Bits for the offset of a k-gram in an output of `maxUnits` units, in a packed place
 * `output << shift | offset` (at least 1).
 */
export function packShift(maxUnits: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, maxUnits))));
}

/** Normalised units per raw unit, at most (NFKC expands U+FDFA to 18, then case folding). */
const EXPANSION = 32;

/**
 * Consecutive ranges `[start, end)` of `outputs` of at most `size` outputs each, whose places fit in 32
 * bits packed (`packShift`) even if normalising expands them: a few very long outputs make a smaller batch.
 * @example packedRanges(["a", "b", "c"], 2) // [[0, 2], [2, 3]]
 */
export function packedRanges(outputs: readonly string[], size: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  let longest = 0;
  for (let i = 0; i < outputs.length; i++) {
    const len = Math.max(longest, outputs[i]!.length * EXPANSION);
    if (i > start && (i - start >= size || i - start >= 2 ** (32 - packShift(len)))) {
      ranges.push([start, i]);
      start = i;
      longest = outputs[i]!.length * EXPANSION;
    } else longest = len;
  }
  if (start < outputs.length) ranges.push([start, outputs.length]);
  return ranges;
}

/**
 * Normalise `outputs` (the `text` form) and hash every k-gram of each. With `shared`, the arrays live in
 * SharedArrayBuffers so that worker threads read them without copies.
 * @example prepareBatch(["some output"], 16, false).count
 */
export function prepareBatch(outputs: readonly string[], k: number, shared: boolean): OutputBatch {
  let raw = 0;
  for (const o of outputs) raw += o.length;
  const sink = unitSink(Math.max(64, raw + 16));
  const bounds = alloc32(outputs.length + 1, shared);
  const breaks: number[] = [];
  for (let i = 0; i < outputs.length; i++) {
    bounds[i] = sink.len;
    normalizeInto(outputs[i]!, sink, breaks, 0);
    breaks.length = 0;
  }
  bounds[outputs.length] = sink.len;
  const total = sink.len;
  const units = shared
    ? new Uint16Array(new SharedArrayBuffer(Math.max(2, total * 2)))
    : new Uint16Array(total);
  units.set(sink.buf.subarray(0, total));
  let count = 0;
  let longest = 0;
  for (let i = 0; i < outputs.length; i++) {
    count += Math.max(0, bounds[i + 1]! - bounds[i]! - k + 1);
    longest = Math.max(longest, bounds[i + 1]! - bounds[i]!);
  }
  const shift = packShift(longest);
  if (outputs.length > 2 ** (32 - shift)) {
    throw new RangeError(
      `Expected a batch whose places fit in 32 bits (see packedRanges), got ${outputs.length} outputs`,
    );
  }
  const keys = alloc32(count, shared);
  const vals = alloc32(count, shared);
  let at = 0;
  let scratch = new Uint32Array(4096);
  for (let i = 0; i < outputs.length; i++) {
    const s = bounds[i]!;
    const e = bounds[i + 1]!;
    const c = Math.max(0, e - s - k + 1);
    if (c > scratch.length) scratch = new Uint32Array(c);
    kgramHashes(units, s, e, k, scratch);
    for (let j = 0; j < c; j++) {
      keys[at] = scratch[j]!;
      vals[at++] = ((i << shift) | j) >>> 0;
    }
  }
  // In place: the arrays are already the batch's own (shared ones included), no copies back and forth.
  sortPairsInPlace(keys, vals, count, new Uint32Array(count), new Uint32Array(count));
  return { units, bounds, keys, vals, shift, count };
}
