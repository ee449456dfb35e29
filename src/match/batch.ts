/** A batch of outputs prepared for the shard search: normalised units and k-gram hashes sorted by hash. */
import { kgramHashes } from "./fingerprint.js";
import { normalizeInto, unitSink } from "./normalize-units.js";
import { sortPairsInPlace } from "./radix.js";
import type { OutputBatch } from "./shard-search.js";

function alloc32(n: number, shared: boolean): Uint32Array {
  return shared ? new Uint32Array(new SharedArrayBuffer(Math.max(4, n * 4))) : new Uint32Array(n);
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
  for (let i = 0; i < outputs.length; i++) count += Math.max(0, bounds[i + 1]! - bounds[i]! - k + 1);
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
      vals[at++] = s + j;
    }
  }
  // In place: the arrays are already the batch's own (shared ones included), no copies back and forth.
  sortPairsInPlace(keys, vals, count, new Uint32Array(count), new Uint32Array(count));
  return { units, bounds, keys, vals, count };
}
