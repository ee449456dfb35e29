/**
 * What both corpus matchers (the in-memory one and the on-disk index) do once they have their seeds: the
 * maximal exact matches between an output and the documents. Verbatim spans are the long enough seeds;
 * near-verbatim spans chain seeds of one document, extend past the chain ends over small edits, and are
 * verified by semi-global edit distance. The result depends only on the set of seeds, not their order.
 */
import { type Bounded, extendGreedy } from "./extend.js";
import { type PatternMasks, patternMasks, semiGlobalBanded, semiGlobalEnd } from "./semi-global.js";

/** A maximal exact match: `out[oStart, oEnd)` equals `doc[dStart, dStart + oEnd - oStart)` (normalised). */
export interface Seed {
  readonly doc: number;
  readonly oStart: number;
  readonly oEnd: number;
  readonly dStart: number;
}

/** A reported span in normalised coordinates; `doc` is the document's rank in corpus order. */
export interface Candidate {
  readonly doc: number;
  readonly oStart: number;
  readonly oEnd: number;
  readonly dStart: number;
  readonly distance: number;
}

/** The normalised documents: document `d` is `units[start(d), end(d))`. */
export interface DocText {
  readonly units: Uint16Array;
  start(doc: number): number;
  end(doc: number): number;
}

/** `u[s, e)` as a string, exactly (lone surrogates kept). */
export function unitsToString(u: Uint16Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i += 8192) {
    out += String.fromCharCode.apply(null, u.subarray(i, Math.min(e, i + 8192)) as unknown as number[]);
  }
  return out;
}

/** Units of a string. */
export function toUnits(s: string): Uint16Array {
  const u = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

/**
 * What earlier shards of the same batch found for one output's near-verbatim spans: a shard skips the
 * alignment of a span it cannot win (the report keeps the closest copy, then the earliest document).
 */
export interface SpanMemo {
  /** True when a result at least as good as `distance` edits in shard-local document `doc` is known. */
  beaten(oStart: number, oEnd: number, distance: number, doc: number): boolean;
  record(oStart: number, oEnd: number, distance: number, doc: number): void;
}

/** How spans are judged. */
export interface ResolveOptions {
  /** Shortest reported span in normalised characters. */
  readonly minLength: number;
  /** When set, spans are judged by whitespace-separated tokens instead of characters. */
  readonly minTokens?: number;
  /** Largest normalised edit distance of a near-verbatim span. */
  readonly maxDistance: number;
  /** Seed k-gram length (sets the extension budget). */
  readonly k: number;
  /** Largest output gap and diagonal shift between chained seeds. */
  readonly gap: number;
  /**
   * Seeds of one document chained into near-verbatim spans, per output (repetitive documents hold the same
   * text many times): those with the most support, i.e. the most seed length on nearby diagonals
   * (`chainSeeds`). Verbatim spans use every seed. Default 64.
   */
  readonly maxChainSeeds?: number;
  /** Distinct document windows each near-verbatim span is verified against (see `verify`). Default 4. */
  readonly maxNearWindows?: number;
}

/**
 * Number of whitespace-separated tokens of `text[s, e)` (normalised text has single spaces).
 * @example tokenCount("ab cd e", 1, 6) // 2  ("b cd " → "b", "cd")
 */
export function tokenCount(text: string, s: number, e: number): number {
  let n = 0;
  let inTok = false;
  for (let i = s; i < e; i++) {
    const sp = text.charCodeAt(i) === 32;
    if (!sp && !inTok) n++;
    inTok = !sp;
  }
  return n;
}

/** True when `out[s, e)` is long enough to report. */
export function longEnough(out: string, s: number, e: number, o: ResolveOptions): boolean {
  if (o.minTokens !== undefined) return tokenCount(out, s, e) >= o.minTokens;
  return e - s >= o.minLength;
}

function bySeed(x: Seed, y: Seed): number {
  return x.doc - y.doc || x.oStart - y.oStart || x.dStart - y.dStart || x.oEnd - y.oEnd;
}

/**
 * Verbatim and near-verbatim candidates of one output (normalised text `out`, also as `units` when the
 * caller has them) from its seeds.
 * @example resolveSeeds(out, seeds, docs, { minLength: 50, maxDistance: 0.1, k: 16, gap: 64 })
 */
export function resolveSeeds(
  out: string,
  seeds: readonly Seed[],
  docs: DocText,
  o: ResolveOptions,
  memo?: SpanMemo,
  units?: Uint16Array,
): Candidate[] {
  const sorted = [...seeds].sort(bySeed);
  const res: Candidate[] = [];
  // One verbatim candidate per output span: the earliest document and place (what the report keeps).
  const verbatim = new Set<number>();
  for (const s of sorted) {
    const key = s.oStart * 2 ** 31 + s.oEnd;
    if (verbatim.has(key) || !longEnough(out, s.oStart, s.oEnd, o)) continue;
    verbatim.add(key);
    res.push({ ...s, distance: 0 });
  }
  const ou = units ?? toUnits(out);
  const cap = o.maxChainSeeds ?? 64;
  const spans: NearSpan[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.doc === sorted[i]!.doc) j++;
    nearSpans(out, ou, chainSeeds(sorted.slice(i, j + 1), cap, o.gap), docs, o, spans);
    i = j + 1;
  }
  verify(out, spans, docs, o, res, memo);
  return res;
}

/**
 * At most `cap` of one document's seeds (sorted by `bySeed`, kept in that order): those with the most
 * support, the total length of the seeds within `gap` of their diagonal and `2 * gap` of their output start
 * (the first 512 by diagonal; ties: `bySeed` order).
 * A near-verbatim copy is a run of seeds on about one diagonal, so it outranks the scattered hits of
 * text that recurs all over a document, wherever it sits in the output. Depends only on the set of seeds.
 */
export function chainSeeds(list: readonly Seed[], cap: number, gap: number): readonly Seed[] {
  const n = list.length;
  if (n <= cap) return list;
  const diag = new Float64Array(n);
  for (let x = 0; x < n; x++) diag[x] = list[x]!.dStart - list[x]!.oStart;
  const byDiag = Array.from({ length: n }, (_, x) => x).sort((x, y) => diag[x]! - diag[y]! || x - y);
  const support = new Float64Array(n);
  let lo = 0;
  for (let x = 0; x < n; x++) {
    const a = byDiag[x]!;
    const s = list[a]!;
    while (diag[byDiag[lo]!]! < diag[a]! - gap) lo++;
    let sum = 0;
    for (let y = lo, seen = 0; y < n && diag[byDiag[y]!]! <= diag[a]! + gap && seen < 512; y++, seen++) {
      const t = list[byDiag[y]!]!;
      if (Math.abs(t.oStart - s.oStart) <= 2 * gap) sum += t.oEnd - t.oStart;
    }
    support[a] = sum;
  }
  const pick = Array.from({ length: n }, (_, x) => x)
    .sort((x, y) => support[y]! - support[x]! || x - y)
    .slice(0, cap)
    .sort((x, y) => x - y);
  return pick.map((x) => list[x]!);
}

/** An extended chain of seeds of one document, to verify: output span, document window, seed support. */
interface NearSpan {
  readonly doc: number;
  readonly oStart: number;
  readonly oEnd: number;
  /** Window of the document (document-relative) that can hold the alignment. */
  readonly lo: number;
  readonly hi: number;
  /** Output units the chain's seeds cover. */
  readonly support: number;
}

/**
 * Verify near-verbatim spans by semi-global edit distance. Each distinct output span is measured against at
 * most `maxNearWindows` distinct document windows (default 4): those with the most seed support, then the
 * earliest document (boilerplate puts one span in hundreds of documents; the closest copy has the most
 * exact seed cover). The distances come bit-parallel; only the closest window, the earliest on ties
 * (what the report keeps of a span), pays for the banded alignment that places the span in its document.
 */
function verify(
  out: string,
  spans: NearSpan[],
  docs: DocText,
  o: ResolveOptions,
  res: Candidate[],
  memo: SpanMemo | undefined,
): void {
  spans.sort(
    (x, y) => x.oStart - y.oStart || x.oEnd - y.oEnd || y.support - x.support || x.doc - y.doc || x.lo - y.lo,
  );
  const windows = o.maxNearWindows ?? 4;
  const seen = new Set<string>();
  let i = 0;
  while (i < spans.length) {
    const { oStart, oEnd } = spans[i]!;
    const pattern = out.slice(oStart, oEnd);
    let masks: PatternMasks | undefined;
    const edits = maxEdits(oEnd - oStart, o.maxDistance);
    seen.clear();
    let best: NearSpan | undefined;
    let bestWin = "";
    let bestD = edits + 1;
    let bestEnd = 0;
    for (; i < spans.length && spans[i]!.oStart === oStart && spans[i]!.oEnd === oEnd; i++) {
      const sp = spans[i]!;
      if (seen.size >= windows) continue;
      const base = docs.start(sp.doc);
      const win = unitsToString(docs.units, base + sp.lo, base + sp.hi);
      // The same text recurs across and within documents: measure each distinct window once.
      if (seen.has(win)) continue;
      seen.add(win);
      masks ??= patternMasks(pattern);
      const { distance: d, end } = semiGlobalEnd(masks, win);
      if (d > 0 && (d < bestD || (d === bestD && best !== undefined && sp.doc < best.doc))) {
        best = sp;
        bestWin = win;
        bestD = d;
        bestEnd = end;
      }
    }
    if (best === undefined || memo?.beaten(oStart, oEnd, bestD, best.doc)) continue;
    memo?.record(oStart, oEnd, bestD, best.doc);
    const m = semiGlobalBanded(pattern, bestWin, masks, { distance: bestD, end: bestEnd });
    res.push({ doc: best.doc, oStart, oEnd, dStart: best.lo + m.start, distance: m.normalized });
  }
}

/** Chain the seeds of one document (sorted by output start), extend; push the long enough spans. */
function nearSpans(
  out: string,
  ou: Uint16Array,
  list: readonly Seed[],
  docs: DocText,
  o: ResolveOptions,
  spans: NearSpan[],
): void {
  const doc = list[0]!.doc;
  const base = docs.start(doc);
  const docLen = docs.end(doc) - base;
  const budget = Math.ceil(o.k * o.maxDistance) + 1;
  const a: Bounded = { u: ou, lo: 0, hi: ou.length };
  const b: Bounded = { u: docs.units, lo: base, hi: base + docLen };
  for (const c of chains(list, o.gap)) {
    const { first, tail, end } = c;
    const tailDEnd = tail.dStart + (tail.oEnd - tail.oStart);
    const [oStart, ws] = extendGreedy(a, b, first.oStart, base + first.dStart, -1, budget);
    const [oEnd] = extendGreedy(a, b, end, base + tailDEnd, 1, budget);
    const dStart = ws - base;
    const len = oEnd - oStart;
    if (longEnough(out, oStart, oEnd, o) && (c.count > 1 || oEnd > first.oEnd || oStart < first.oStart)) {
      const slack = Math.ceil(len * o.maxDistance) + 1;
      spans.push({
        doc,
        oStart,
        oEnd,
        lo: Math.max(0, dStart - slack),
        hi: Math.min(docLen, dStart + len + slack),
        support: c.support,
      });
    }
  }
}

interface Chain {
  first: Seed;
  tail: Seed;
  end: number;
  diag: number;
  count: number;
  support: number;
}

/**
 * Chains of seeds (sorted by output start): each seed joins the latest open chain whose end is at most
 * `gap` before it and whose last diagonal is within `gap` of its own; otherwise it opens a chain. Seeds
 * from elsewhere in the document therefore do not break a chain they interleave with.
 */
function chains(list: readonly Seed[], gap: number): Chain[] {
  const all: Chain[] = [];
  const open: Chain[] = [];
  for (const s of list) {
    const diag = s.dStart - s.oStart;
    // Drop the chains that ended more than `gap` before this seed (in place: one array for all seeds).
    let kept = 0;
    for (const c of open) if (s.oStart - c.end <= gap) open[kept++] = c;
    open.length = kept;
    let join: Chain | undefined;
    for (let x = open.length - 1; x >= 0; x--) {
      if (Math.abs(diag - open[x]!.diag) <= gap) {
        join = open[x];
        break;
      }
    }
    if (join === undefined) {
      const c: Chain = { first: s, tail: s, end: s.oEnd, diag, count: 1, support: s.oEnd - s.oStart };
      all.push(c);
      open.push(c);
      continue;
    }
    join.count++;
    join.support += Math.max(0, s.oEnd - Math.max(s.oStart, join.end));
    join.diag = diag;
    if (s.oEnd > join.end) {
      join.end = s.oEnd;
      join.tail = s;
    }
  }
  return all;
}

/** The largest edit count `c` with `c / len <= maxDistance` (exact despite floating point). */
export function maxEdits(len: number, maxDistance: number): number {
  let k = Math.floor(maxDistance * len);
  while ((k + 1) / len <= maxDistance) k++;
  while (k > 0 && k / len > maxDistance) k--;
  return k;
}

/** A reported span in raw coordinates, with the rank of its document (for ties). */
export interface Ranked {
  readonly start: number;
  readonly end: number;
  readonly rank: number;
  readonly docOffset: number;
  readonly distance: number;
}

/**
 * Keep one match per raw output span (the closest; then the earliest document and offset), drop a match
 * whose span lies inside a longer match of the same kind (exact in exact, near in near), sort by position.
 */
export function dedupe<T extends Ranked>(matches: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const m of matches) {
    const key = `${m.start}:${m.end}`;
    const cur = best.get(key);
    if (
      cur === undefined ||
      m.distance < cur.distance ||
      (m.distance === cur.distance &&
        (m.rank < cur.rank || (m.rank === cur.rank && m.docOffset < cur.docOffset)))
    )
      best.set(key, m);
  }
  const all = [...best.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  const reach = { exact: -1, near: -1 };
  for (const m of all) {
    const kind = m.distance === 0 ? "exact" : "near";
    if (reach[kind] >= m.end) continue;
    reach[kind] = m.end;
    kept.push(m);
  }
  return kept;
}
