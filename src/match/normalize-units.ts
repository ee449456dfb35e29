/**
 * The `text` normalisation (see `normalize`) written straight into a typed array, for corpora of gigabytes:
 * ASCII through a table, anything else through the same per-cluster steps as `normalize`, so the result is
 * identical to `normalize(source, "text").text`. Instead of one raw offset per unit it records breakpoints:
 * the raw start of unit `i` is `rawAt + (i - unitAt)` for the last breakpoint `(unitAt, rawAt)` at or before `i`.
 */
import { clusterEnd, textCluster } from "./normalize.js";

/** A growable buffer of UTF-16 units. */
export interface UnitSink {
  buf: Uint16Array;
  len: number;
  /** When kept: the positions in `buf` of the units above 255, ascending (a shard file lists them). */
  readonly wide: number[] | undefined;
}

/** A new sink with room for `capacity` units; with `trackWide`, it lists where units above 255 go. */
export function unitSink(capacity = 1 << 16, trackWide = false): UnitSink {
  return { buf: new Uint16Array(capacity), len: 0, wide: trackWide ? [] : undefined };
}

/** Make room for `need` units in total, doubling. */
export function reserve(sink: UnitSink, need: number): void {
  if (need <= sink.buf.length) return;
  let cap = sink.buf.length * 2;
  while (cap < need) cap *= 2;
  const next = new Uint16Array(cap);
  next.set(sink.buf.subarray(0, sink.len));
  sink.buf = next;
}

const SPACE = -1;
/** What the `text` form makes of each ASCII character: a unit, or SPACE (collapsible). */
const ASCII = Int32Array.from({ length: 128 }, (_, c) => {
  const r = textCluster(String.fromCharCode(c));
  return r === " " ? SPACE : r.charCodeAt(0);
});
const SINGLE = new Map<number, string>();

function single(c: number): string {
  let r = SINGLE.get(c);
  if (r === undefined) {
    r = textCluster(String.fromCharCode(c));
    SINGLE.set(c, r);
  }
  return r;
}

/** Where a document's normalisation stands: kept across the pieces of one document. */
interface NormState {
  /** Sink length where the document started. */
  readonly o0: number;
  /** Raw offset minus output unit (relative to `o0`) at the last breakpoint; -1 before the first. */
  delta: number;
  lastSpace: boolean;
}

/**
 * Append the `text` normalisation of `source` to `sink`; push breakpoints `[unit, raw]` (unit relative to
 * where this call started writing, raw = `rawBase` + offset in `source`) onto `breaks`. Returns the number
 * of units written.
 * @example normalizeInto("A  b", sink, breaks, 0) // writes "a b"; breaks [0, 0, 2, 3]
 */
export function normalizeInto(source: string, sink: UnitSink, breaks: number[], rawBase: number): number {
  const st: NormState = { o0: sink.len, delta: -1, lastSpace: false };
  normalizePiece(source, sink, breaks, rawBase, st);
  return sink.len - st.o0;
}

/**
 * `normalizeInto` of `source`, a piece of a document starting at raw offset `at`, continuing `st`.
 * Breakpoints hold `(unit - st.o0, raw)`; `st.delta` is `raw - (unit - st.o0)` at the last one.
 */
function normalizePiece(source: string, sink: UnitSink, breaks: number[], at: number, st: NormState): void {
  const n = source.length;
  reserve(sink, sink.len + n + 1);
  let buf = sink.buf;
  const o0 = st.o0;
  let o = sink.len;
  // `i - o` is the state's delta shifted by constants: a breakpoint is due when it changes.
  let delta = st.delta - at - o0;
  let lastSpace = st.lastSpace;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c < 0x80 && (i + 1 === n || source.charCodeAt(i + 1) < 0x300)) {
      let r = ASCII[c]!;
      if (r === SPACE) {
        if (lastSpace) {
          i++;
          continue;
        }
        lastSpace = true;
        r = 32;
      } else lastSpace = false;
      if (i - o !== delta) {
        delta = i - o;
        breaks.push(o - o0, i + at);
      }
      buf[o++] = r;
      i++;
      // A run of plain ASCII and single spaces (a second space, collapsed, ends it): same delta. A
      // character at or above U+0300 may be a combining mark of the run's last character: give that one
      // back to the cluster path (the run's first character is never it: the test above saw what follows
      // it). A space written here always follows a non-space: giving it back restores lastSpace = false.
      while (i < n) {
        const x = source.charCodeAt(i);
        if (x >= 0x80) {
          if (x >= 0x300) {
            o--;
            i--;
            lastSpace = false;
          }
          break;
        }
        const q = ASCII[x]!;
        if (q === SPACE) {
          if (lastSpace) break;
          lastSpace = true;
          buf[o++] = 32;
        } else {
          lastSpace = false;
          buf[o++] = q;
        }
        i++;
      }
      continue;
    }
    let j = i + 1;
    let rep: string;
    if (c < 0x300 && (j === n || source.charCodeAt(j) < 0x300)) rep = single(c);
    else {
      j = clusterEnd(source, i);
      rep = j === i + 1 ? single(c) : textCluster(source.slice(i, j));
    }
    if (rep.length === 0) {
      i = j;
      continue;
    }
    if (rep === " ") {
      if (lastSpace) {
        i = j;
        continue;
      }
      lastSpace = true;
    } else lastSpace = false;
    if (o + rep.length + (n - j) + 1 > buf.length) {
      sink.len = o;
      reserve(sink, o + rep.length + (n - j) + 1);
      buf = sink.buf;
    }
    for (let u = 0; u < rep.length; u++) {
      if (i - o !== delta) {
        delta = i - o;
        breaks.push(o - o0, i + at);
      }
      const unit = rep.charCodeAt(u);
      if (unit > 255) sink.wide?.push(o);
      buf[o++] = unit;
    }
    i = j;
  }
  sink.len = o;
  st.delta = delta + at + o0;
  st.lastSpace = lastSpace;
}

const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * `normalizeInto` of the UTF-8 text `bytes` (decoded as `Buffer#toString("utf8")` would: invalid sequences
 * become U+FFFD, a BOM is kept), without decoding the ASCII: ASCII bytes go through the table, each run of
 * non-ASCII bytes (with the ASCII character before it when a combining mark may follow) is decoded alone
 * and normalised as a string. ASCII bytes are character boundaries, so the pieces decode as the whole
 * would. Raw offsets count UTF-16 units of the decoded text, as for a string. Text with many non-ASCII
 * runs is decoded whole from the point where they become frequent.
 */
export function normalizeUtf8Into(
  bytes: Uint8Array,
  sink: UnitSink,
  breaks: number[],
  rawBase: number,
): number {
  const n = bytes.length;
  const o0 = sink.len;
  const st: NormState = { o0, delta: -1, lastSpace: false };
  reserve(sink, o0 + n + 1);
  let buf = sink.buf;
  let o = o0;
  // Raw offset of bytes[p] is p + adj; `p - o` is the state's delta shifted by constants.
  let adj = rawBase;
  let delta = st.delta - adj - o0;
  let lastSpace = false;
  let pieces = 0;
  let p = 0;
  while (p < n) {
    const c = bytes[p]!;
    // A lead byte below 0xCC starts a character below U+0300 (or an invalid one): not a combining mark.
    if (c < 0x80 && (p + 1 === n || bytes[p + 1]! < 0xcc)) {
      let r = ASCII[c]!;
      if (r === SPACE) {
        if (lastSpace) {
          p++;
          continue;
        }
        lastSpace = true;
        r = 32;
      } else lastSpace = false;
      if (p - o !== delta) {
        delta = p - o;
        breaks.push(o - o0, p + adj);
      }
      buf[o++] = r;
      p++;
      // The run goes on through single spaces (same delta); a second one (collapsed) ends it. A space
      // written here always follows a non-space, so giving it back restores lastSpace = false.
      while (p < n) {
        const x = bytes[p]!;
        if (x >= 0x80) {
          if (x >= 0xcc) {
            o--;
            p--;
            lastSpace = false;
          }
          break;
        }
        const q = ASCII[x]!;
        if (q === SPACE) {
          if (lastSpace) break;
          lastSpace = true;
          buf[o++] = 32;
        } else {
          lastSpace = false;
          buf[o++] = q;
        }
        p++;
      }
      continue;
    }
    let q = p + 1;
    if (++pieces > 64 && pieces * 64 > p) q = n;
    else while (q < n && bytes[q]! >= 0x80) q++;
    const piece = UTF8.decode(bytes.subarray(p, q));
    sink.len = o;
    st.delta = delta + adj + o0;
    st.lastSpace = lastSpace;
    normalizePiece(piece, sink, breaks, p + adj, st);
    adj += piece.length - (q - p);
    p = q;
    reserve(sink, sink.len + (n - p) + 1);
    buf = sink.buf;
    o = sink.len;
    delta = st.delta - adj - o0;
    lastSpace = st.lastSpace;
  }
  sink.len = o;
  return o - o0;
}

/**
 * Raw start of normalised unit `unit` from breakpoints `breaks[from .. to)` (flat pairs, sorted).
 * @example rawStart([0, 0, 2, 3], 0, 4, 2) // 3
 */
export function rawStart(breaks: ArrayLike<number>, from: number, to: number, unit: number): number {
  let lo = 0;
  let hi = (to - from) / 2 - 1;
  if (hi < 0) return unit;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (breaks[from + 2 * mid]! <= unit) lo = mid;
    else hi = mid - 1;
  }
  const at = from + 2 * lo;
  return breaks[at + 1]! + (unit - breaks[at]!);
}

/**
 * Raw end of normalised unit `unit` of `source` (what `normalize(source, "text").ends[unit]` holds), from
 * the breakpoints of `normalizeInto(source)`: the end of the cluster the unit came from, and for a cluster
 * that became one space, of the whitespace run collapsed into it (removed clusters inside the run do not end
 * it, and only whitespace extends it).
 * @example rawEnd("a  b", [0, 0, 2, 3], 0, 4, 1) // 3
 */
export function rawEnd(
  source: string,
  breaks: ArrayLike<number>,
  from: number,
  to: number,
  unit: number,
): number {
  const s = rawStart(breaks, from, to, unit);
  let e = clusterEnd(source, s);
  if (textCluster(source.slice(s, e)) !== " ") return e;
  for (let i = e; i < source.length; ) {
    const j = clusterEnd(source, i);
    const rep = textCluster(source.slice(i, j));
    if (rep === " ") e = j;
    else if (rep !== "") break;
    i = j;
  }
  return e;
}

/**
 * Raw spans of normalised spans of `source`, as `toRawSpan(normalize(source, "text"), start, end)` gives
 * them, from what `normalizeInto(source)` gave: `n` normalised units and the breakpoints at
 * `breaks[from, to)` (a batch keeps those of all its outputs, see `prepareBatch`). No offset maps of two
 * numbers per unit: one breakpoint per change of offset, for the few spans of each of thousands of outputs.
 */
export function rawSpansFrom(
  source: string,
  n: number,
  breaks: ArrayLike<number>,
  from: number,
  to: number,
): (start: number, end: number) => [number, number] {
  return (start, end) => {
    if (n === 0) return [0, 0];
    if (end <= start) {
      const at = start < n ? rawStart(breaks, from, to, start) : source.length;
      return [at, at];
    }
    return [
      rawStart(breaks, from, to, Math.min(start, n - 1)),
      rawEnd(source, breaks, from, to, Math.min(end, n) - 1),
    ];
  };
}
