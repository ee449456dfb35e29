/**
 * A straightforward in-memory corpus matcher: exact k-gram seeds, extended to maximal verbatim matches,
 * chained and verified by semi-global edit distance for near-verbatim spans. A future on-disk index
 * implements the same `CorpusMatcher` interface.
 */
import type { Document } from "../core/data.js";
import { extendGreedy } from "./extend.js";
import { type Normalized, normalize, toRawSpan } from "./normalize.js";
import { semiGlobalDp } from "./semi-global.js";

/** One span of an output found in a reference document. Offsets are in the raw strings (UTF-16 units). */
export interface CorpusMatch {
  /** Span `[start, end)` of the raw output. */
  readonly start: number;
  readonly end: number;
  readonly docId: string;
  /** Offset of the matched text in the raw document. */
  readonly docOffset: number;
  /** Matched length in normalised characters (what `minLength` is compared against). */
  readonly length: number;
  /** Normalised edit distance in [0, 1]; 0 for an exact match. */
  readonly distance: number;
  readonly exact: boolean;
}

/** Finds the spans of an output that occur (near-)verbatim in a reference corpus. */
export interface CorpusMatcher {
  find(output: string): CorpusMatch[];
}

/** Options of the naive matcher. */
export interface CorpusMatcherOptions {
  /** Shortest span worth reporting, in normalised characters. Default 50. */
  readonly minLength?: number;
  /** Largest normalised edit distance of a near-verbatim span. Default 0.1. */
  readonly maxDistance?: number;
  /** Seed length (exact k-gram). Default 16. */
  readonly seed?: number;
  /** Seeds occurring more often than this in the corpus are ignored (low-complexity text). Default 64. */
  readonly maxSeedHits?: number;
}

interface Seed {
  readonly doc: number;
  readonly oStart: number;
  readonly oEnd: number;
  readonly dStart: number;
}

/**
 * Build an in-memory matcher over documents (normalised with the `text` form: NFKC, homoglyphs, case and
 * whitespace folded).
 * @example createNaiveCorpusMatcher(docs, { minLength: 50 }).find(output)
 */
export function createNaiveCorpusMatcher(
  documents: readonly Document[],
  options: CorpusMatcherOptions = {},
): CorpusMatcher {
  const minLength = options.minLength ?? 50;
  const maxDistance = options.maxDistance ?? 0.1;
  const k = Math.max(4, Math.min(options.seed ?? 16, minLength));
  const maxHits = options.maxSeedHits ?? 64;
  const docs = documents.map((d) => normalize(d.text, "text"));
  const index = new Map<string, number[]>();
  docs.forEach((nd, di) => {
    for (let p = 0; p + k <= nd.text.length; p++) {
      const key = nd.text.slice(p, p + k);
      const hits = index.get(key);
      if (hits === undefined) index.set(key, [di, p]);
      else if (hits.length <= 2 * maxHits) hits.push(di, p);
    }
  });

  function seeds(out: string): Seed[] {
    const found: Seed[] = [];
    const covered = new Map<string, number>();
    for (let i = 0; i + k <= out.length; i++) {
      const hits = index.get(out.slice(i, i + k));
      if (hits === undefined || hits.length > 2 * maxHits) continue;
      for (let h = 0; h < hits.length; h += 2) {
        const doc = hits[h]!;
        const p = hits[h + 1]!;
        const diag = `${doc}:${p - i}`;
        if ((covered.get(diag) ?? -1) > i) continue;
        const dt = docs[doc]!.text;
        let a = i;
        let b = p;
        while (a > 0 && b > 0 && out.charCodeAt(a - 1) === dt.charCodeAt(b - 1)) {
          a--;
          b--;
        }
        let e = i + k;
        let f = p + k;
        while (e < out.length && f < dt.length && out.charCodeAt(e) === dt.charCodeAt(f)) {
          e++;
          f++;
        }
        covered.set(diag, e);
        found.push({ doc, oStart: a, oEnd: e, dStart: b });
      }
    }
    return found;
  }

  function toMatch(out: Normalized, s: number, e: number, doc: number, d: number, dist: number): CorpusMatch {
    const [start, end] = toRawSpan(out, s, e);
    const [docOffset] = toRawSpan(docs[doc]!, d, d + 1);
    const id = documents[doc]!.id;
    return { start, end, docId: id, docOffset, length: e - s, distance: dist, exact: dist === 0 };
  }

  /** Chain seeds of one document that lie close in the output and on nearby diagonals, then verify. */
  function nearMatches(out: Normalized, list: Seed[]): CorpusMatch[] {
    const res: CorpusMatch[] = [];
    const gap = k * 2;
    let i = 0;
    while (i < list.length) {
      let j = i;
      let end = list[i]!.oEnd;
      let tail = list[i]!;
      while (j + 1 < list.length) {
        const nx = list[j + 1]!;
        const cur = list[j]!;
        const diagShift = Math.abs(nx.dStart - nx.oStart - (cur.dStart - cur.oStart));
        if (nx.oStart - end > gap || diagShift > gap) break;
        if (nx.oEnd > end) {
          end = nx.oEnd;
          tail = nx;
        }
        j++;
      }
      const first = list[i]!;
      const dText = docs[first.doc]!.text;
      const budget = Math.ceil(k * maxDistance) + 1;
      const [oStart, dStart] = extendGreedy(out.text, dText, first.oStart, first.dStart, -1, budget);
      const tailDEnd = tail.dStart + (tail.oEnd - tail.oStart);
      const [oEnd] = extendGreedy(out.text, dText, end, tailDEnd, 1, budget);
      const len = oEnd - oStart;
      if (len >= minLength && (j > i || oEnd > first.oEnd || oStart < first.oStart)) {
        const slack = Math.ceil(len * maxDistance) + 1;
        const lo = Math.max(0, dStart - slack);
        const hi = Math.min(dText.length, dStart + len + slack);
        const m = semiGlobalDp(out.text.slice(oStart, oEnd), dText.slice(lo, hi));
        if (m.normalized > 0 && m.normalized <= maxDistance) {
          res.push(toMatch(out, oStart, oEnd, first.doc, lo + m.start, m.normalized));
        }
      }
      i = j + 1;
    }
    return res;
  }

  return {
    find(output: string): CorpusMatch[] {
      if (docs.length === 0 || output.length < minLength) return [];
      const out = normalize(output, "text");
      const all = seeds(out.text);
      const results: CorpusMatch[] = [];
      for (const s of all) {
        if (s.oEnd - s.oStart >= minLength) results.push(toMatch(out, s.oStart, s.oEnd, s.doc, s.dStart, 0));
      }
      const byDoc = new Map<number, Seed[]>();
      for (const s of all) {
        const list = byDoc.get(s.doc);
        if (list === undefined) byDoc.set(s.doc, [s]);
        else list.push(s);
      }
      for (const list of byDoc.values()) {
        list.sort((x, y) => x.oStart - y.oStart || x.dStart - y.dStart);
        results.push(...nearMatches(out, list));
      }
      return dedupe(results);
    },
  };
}

/**
 * Keep one match per output span (the closest; the first document on ties), drop a match whose output span
 * lies inside a longer match of the same kind (exact in exact, near in near), sort by position.
 */
function dedupe(matches: CorpusMatch[]): CorpusMatch[] {
  const best = new Map<string, CorpusMatch>();
  for (const m of matches) {
    const key = `${m.start}:${m.end}`;
    const cur = best.get(key);
    if (cur === undefined || m.distance < cur.distance) best.set(key, m);
  }
  const all = [...best.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: CorpusMatch[] = [];
  const reach = { exact: -1, near: -1 };
  for (const m of all) {
    const kind = m.exact ? "exact" : "near";
    if (reach[kind] >= m.end) continue;
    reach[kind] = m.end;
    kept.push(m);
  }
  return kept;
}
