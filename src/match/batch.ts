/** A batch of outputs prepared for the shard search: normalised units and k-gram hashes sorted by hash. */
import { kgramHashes } from "./fingerprint.js";
import { type HashFilter, mayHold } from "./hash-filter.js";
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

/** A batch whose packed places (`output << shift | offset`) would not fit in 32 bits. */
export class BatchTooWide extends RangeError {}

/**
 * `prepareBatch` of all `outputs`, as consecutive batches (`start`: index of the first output of each):
 * one, unless very long outputs make the packed places too wide, then halves until each fits.
 * @example prepareBatches(["a", "b"], 16, false)[0].start // 0
 */
export function prepareBatches(
  outputs: readonly string[],
  k: number,
  shared: boolean,
  filter?: HashFilter,
  start = 0,
): { start: number; batch: OutputBatch }[] {
  try {
    return [{ start, batch: prepareBatch(outputs, k, shared, filter) }];
  } catch (err) {
    if (!(err instanceof BatchTooWide) || outputs.length < 2) throw err;
    const mid = outputs.length >>> 1;
    return [
      ...prepareBatches(outputs.slice(0, mid), k, shared, filter, start),
      ...prepareBatches(outputs.slice(mid), k, shared, filter, start + mid),
    ];
  }
}

/**
 * Normalise `outputs` (the `text` form) and hash every k-gram of each, keeping those the index's `filter`
 * may hold (all without one). With `shared`, the arrays live in SharedArrayBuffers so that worker threads
 * read them without copies.
 * @example prepareBatch(["some output"], 16, false).count
 */
export function prepareBatch(
  outputs: readonly string[],
  k: number,
  shared: boolean,
  filter?: HashFilter,
): OutputBatch {
  let raw = 0;
  for (const o of outputs) raw += o.length;
  const sink = unitSink(Math.max(64, raw + 16));
  const bounds = alloc32(outputs.length + 1, shared);
  const breakStart = alloc32(outputs.length + 1, shared);
  const found: number[] = [];
  for (let i = 0; i < outputs.length; i++) {
    bounds[i] = sink.len;
    breakStart[i] = found.length;
    normalizeInto(outputs[i]!, sink, found, 0);
  }
  bounds[outputs.length] = sink.len;
  breakStart[outputs.length] = found.length;
  const breaks = alloc32(found.length, shared);
  breaks.set(found);
  const total = sink.len;
  const units = shared
    ? new Uint16Array(new SharedArrayBuffer(Math.max(2, total * 2)))
    : new Uint16Array(total);
  units.set(sink.buf.subarray(0, total));
  let all = 0;
  let longest = 0;
  for (let i = 0; i < outputs.length; i++) {
    all += Math.max(0, bounds[i + 1]! - bounds[i]! - k + 1);
    longest = Math.max(longest, bounds[i + 1]! - bounds[i]!);
  }
  const shift = packShift(longest);
  if (outputs.length > 2 ** (32 - shift)) {
    throw new BatchTooWide(
      `Expected a batch whose places fit in 32 bits (see prepareBatches), got ${outputs.length} outputs`,
    );
  }
  // Room for every k-gram; with a filter, only the kept ones at the front are written, and the pages of the
  // rest are never touched (large buffers are mapped lazily, so they cost address space, not memory).
  const keys = alloc32(all, shared);
  const vals = alloc32(all, shared);
  let count = 0;
  let scratch = new Uint32Array(4096);
  for (let i = 0; i < outputs.length; i++) {
    const c = Math.max(0, bounds[i + 1]! - bounds[i]! - k + 1);
    if (c > scratch.length) scratch = new Uint32Array(c);
    kgramHashes(units, bounds[i]!, bounds[i + 1]!, k, scratch);
    for (let j = 0; j < c; j++) {
      const h = scratch[j]!;
      if (filter !== undefined && !mayHold(filter, h)) continue;
      keys[count] = h;
      vals[count++] = ((i << shift) | j) >>> 0;
    }
  }
  // In place: the arrays are already the batch's own (shared ones included), no copies back and forth.
  sortPairsInPlace(keys, vals, count, new Uint32Array(count), new Uint32Array(count));
  return {
    units,
    bounds,
    breaks,
    breakStart,
    keys: keys.subarray(0, count),
    vals: vals.subarray(0, count),
    shift,
    count,
  };
}

/**
 * One batch of the outputs of `a` then `b` (each prepared with `prepareBatch`, say on two threads): the same
 * arrays `prepareBatch` gives for all of them at once, equal keys in output order as its stable sort leaves
 * them. Undefined when the packed places of the two together would not fit in 32 bits.
 * @example joinBatches(prepareBatch(["x"], 16, false), prepareBatch(["y"], 16, false), false)
 */
export function joinBatches(a: OutputBatch, b: OutputBatch, shared: boolean): OutputBatch | undefined {
  const na = a.bounds.length - 1;
  const nb = b.bounds.length - 1;
  const shift = Math.max(a.shift, b.shift);
  if (na + nb > 2 ** (32 - shift)) return undefined;
  const ua = a.units.length;
  const units = shared
    ? new Uint16Array(new SharedArrayBuffer(Math.max(2, (ua + b.units.length) * 2)))
    : new Uint16Array(ua + b.units.length);
  units.set(a.units);
  units.set(b.units, ua);
  const bounds = alloc32(na + nb + 1, shared);
  bounds.set(a.bounds.subarray(0, na));
  for (let i = 0; i <= nb; i++) bounds[na + i] = b.bounds[i]! + ua;
  const ba = a.breaks.length;
  const breaks = alloc32(ba + b.breaks.length, shared);
  breaks.set(a.breaks);
  breaks.set(b.breaks, ba);
  const breakStart = alloc32(na + nb + 1, shared);
  breakStart.set(a.breakStart.subarray(0, na));
  for (let i = 0; i <= nb; i++) breakStart[na + i] = b.breakStart[i]! + ba;
  const count = a.count + b.count;
  const keys = alloc32(count, shared);
  const vals = alloc32(count, shared);
  // A place `o << from | offset` becomes `(o + base) << shift | offset`: the offset bits stay, the output
  // moves up by `shift - from` bits and by `base` outputs.
  const ak = a.keys;
  const av = a.vals;
  const bk = b.keys;
  const bv = b.vals;
  const aLow = 2 ** a.shift - 1;
  const bLow = 2 ** b.shift - 1;
  const aUp = shift - a.shift;
  const bUp = shift - b.shift;
  const bBase = na * 2 ** shift;
  let x = 0;
  let y = 0;
  for (let at = 0; at < count; at++) {
    if (y >= b.count || (x < a.count && ak[x]! <= bk[y]!)) {
      const v = av[x]!;
      keys[at] = ak[x++]!;
      vals[at] = (((v & ~aLow) << aUp) | (v & aLow)) >>> 0;
    } else {
      const v = bv[y]!;
      keys[at] = bk[y++]!;
      vals[at] = (((v & ~bLow) << bUp) + bBase + (v & bLow)) >>> 0;
    }
  }
  return { units, bounds, breaks, breakStart, keys, vals, shift, count };
}
