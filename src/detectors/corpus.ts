/**
 * Corpus detector: spans of the output found (near-)verbatim in the user's reference documents, or in a
 * corpus index when the scan has one (`ctx.corpus`); both matchers report the same evidence.
 */
import type { Document } from "../core/data.js";
import {
  type CorpusMatcher,
  type CorpusMatcherOptions,
  createNaiveCorpusMatcher,
} from "../match/corpus-naive.js";
import type { Detector, Evidence } from "./types.js";

/**
 * Build the detector. The matcher over `ctx.documents` is built once per documents array (WeakMap cache).
 * Verbatim spans score 1, near-verbatim spans 1 - distance; spans shorter than `minLength` (default 50
 * normalised chars) are not reported.
 */
export function createCorpusDetector(options: CorpusMatcherOptions = {}): Detector {
  const cache = new WeakMap<readonly Document[], CorpusMatcher>();
  const matcherFor = (docs: readonly Document[]): CorpusMatcher => {
    let m = cache.get(docs);
    if (m === undefined) {
      m = createNaiveCorpusMatcher(docs, options);
      cache.set(docs, m);
    }
    return m;
  };
  return {
    id: "corpus",
    summary:
      "Output spans (≥ 50 chars by default) found verbatim or near-verbatim in the reference documents.",
    detect(output, _attempt, ctx) {
      if ((ctx.documents.length === 0 && ctx.corpus === undefined) || output.length === 0) return null;
      const matches = (ctx.corpus ?? matcherFor(ctx.documents)).find(output);
      if (matches.length === 0) return null;
      const evidence: Evidence[] = matches.map((m) => ({
        start: m.start,
        end: m.end,
        text: output.slice(m.start, m.end),
        source: { kind: "document", docId: m.docId, offset: m.docOffset },
        ...(m.exact ? {} : { distance: m.distance }),
      }));
      const best = Math.min(...matches.map((m) => m.distance));
      const exact = matches.filter((m) => m.exact).length;
      const longest = Math.max(...matches.map((m) => m.length));
      return {
        detector: "corpus",
        finding: "document",
        score: 1 - best,
        exact: best === 0,
        evidence,
        note: `${exact} verbatim and ${matches.length - exact} near-verbatim span(s); longest ${longest} chars`,
      };
    },
  };
}

/** The corpus detector with default options. */
export const corpus: Detector = createCorpusDetector();
