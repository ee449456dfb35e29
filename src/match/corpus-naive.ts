/**
 * A straightforward in-memory corpus matcher: exact k-gram seeds, extended to maximal verbatim matches,
 * chained and verified by semi-global edit distance for near-verbatim spans. The on-disk index
 * (src/corpus/) implements the same `CorpusMatcher` interface with the same `resolveSeeds`.
 */
import type { Document } from "../core/data.js";
import { normalize, toRawSpan } from "./normalize.js";
import {
  type Candidate,
  type DocText,
  dedupe,
  type ResolveOptions,
  resolveSeeds,
  type Seed,
} from "./resolve.js";

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
  /** Judge spans by whitespace-separated tokens instead of characters (the token-based variant). */
  readonly minTokens?: number;
  /** Largest output gap and diagonal shift between chained near-verbatim seeds. Default 100. */
  readonly gap?: number;
}

/**
 * Build an in-memory matcher over documents (normalised with the `text` form: NFKC, homoglyphs, case and
 * whitespace folded). Its seeds are every maximal exact match of at least `seed` characters (k-grams
 * found through a Map); `resolveSeeds` turns them into verbatim and near-verbatim spans.
 * @example createNaiveCorpusMatcher(docs, { minLength: 50 }).find(output)
 */
export function createNaiveCorpusMatcher(
  documents: readonly Document[],
  options: CorpusMatcherOptions = {},
): CorpusMatcher {
  const minLength = options.minLength ?? 50;
  const k = Math.max(4, Math.min(options.seed ?? 16, minLength));
  const resolve: ResolveOptions = {
    minLength,
    maxDistance: options.maxDistance ?? 0.1,
    k,
    gap: options.gap ?? DEFAULT_GAP,
    ...(options.minTokens !== undefined ? { minTokens: options.minTokens } : {}),
  };
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
  const starts = [0];
  for (const d of docs) starts.push(starts[starts.length - 1]! + d.text.length);
  const all = new Uint16Array(starts[starts.length - 1]!);
  docs.forEach((d, i) => {
    for (let j = 0; j < d.text.length; j++) all[starts[i]! + j] = d.text.charCodeAt(j);
  });
  const text: DocText = { units: all, start: (d) => starts[d]!, end: (d) => starts[d + 1]! };

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

  return {
    find(output: string): CorpusMatch[] {
      if (docs.length === 0 || output.length === 0) return [];
      const out = normalize(output, "text");
      const found = resolveSeeds(out.text, seeds(out.text), text, resolve);
      return finishMatches(
        (s, e) => toRawSpan(out, s, e),
        found,
        (c) => toRawSpan(docs[c.doc]!, c.dStart, c.dStart + 1)[0],
        (c) => documents[c.doc]!.id,
      );
    },
  };
}

/** Chain gap of near-verbatim spans (output characters and diagonal shift). */
export const DEFAULT_GAP = 100;

/**
 * Raw spans for candidates (`docOffset` and `docId` supplied by the matcher), then `dedupe`. Shared by the
 * in-memory matcher and the index so that both report the same evidence.
 */
export function finishMatches<C extends Candidate>(
  toRaw: (start: number, end: number) => [number, number],
  found: readonly C[],
  docOffset: (c: C) => number,
  docId: (c: C) => string,
): CorpusMatch[] {
  const ranked = found.map((c) => {
    const [start, end] = toRaw(c.oStart, c.oEnd);
    return {
      start,
      end,
      rank: c.doc,
      docOffset: docOffset(c),
      distance: c.distance,
      docId: docId(c),
      length: c.oEnd - c.oStart,
    };
  });
  return dedupe(ranked).map((m) => ({
    start: m.start,
    end: m.end,
    docId: m.docId,
    docOffset: m.docOffset,
    length: m.length,
    distance: m.distance,
    exact: m.distance === 0,
  }));
}
