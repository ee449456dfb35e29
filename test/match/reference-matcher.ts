/**
 * Brute-force reference of the corpus index semantics, written from the definitions with no hashes, no
 * tables and no shards: every `w`-th k-gram of a document is kept, maximal exact matches are found by
 * comparing every output position with every document position.
 */
import type { Document } from "../../src/core/data.js";
import { type CorpusMatch, finishMatches } from "../../src/match/corpus-naive.js";
import { normalize, toRawSpan } from "../../src/match/normalize.js";
import {
  type DocText,
  type ResolveOptions,
  resolveSeeds,
  type Seed,
  toUnits,
} from "../../src/match/resolve.js";

/** Kept k-gram starts of `t`: every `w`-th, from 0 (the index samples at a fixed stride). */
export function referenceAnchors(t: string, k: number, w: number): Set<number> {
  const kept = new Set<number>();
  for (let p = 0; p + k <= t.length; p += w) kept.add(p);
  return kept;
}

/** Every maximal exact match of at least k units that contains a kept k-gram of the document. */
export function referenceSeeds(out: string, docs: readonly string[], k: number, w: number): Seed[] {
  const seeds: Seed[] = [];
  docs.forEach((t, doc) => {
    const anchors = [...referenceAnchors(t, k, w)];
    for (let i = 0; i < out.length; i++) {
      for (let p = 0; p < t.length; p++) {
        if (out[i] !== t[p]) continue;
        if (i > 0 && p > 0 && out[i - 1] === t[p - 1]) continue;
        let len = 0;
        while (i + len < out.length && p + len < t.length && out[i + len] === t[p + len]) len++;
        if (len < k) continue;
        if (anchors.some((a) => a >= p && a + k <= p + len))
          seeds.push({ doc, oStart: i, oEnd: i + len, dStart: p });
      }
    }
  });
  return seeds;
}

/** The reference matcher: seeds by brute force, then the shared `resolveSeeds` and `finishMatches`. */
export function referenceMatches(
  documents: readonly Document[],
  output: string,
  opts: ResolveOptions & { w: number },
): CorpusMatch[] {
  const nd = documents.map((d) => normalize(d.text, "text"));
  const out = normalize(output, "text");
  const starts = [0];
  for (const n of nd) starts.push(starts[starts.length - 1]! + n.text.length);
  const text: DocText = {
    units: toUnits(nd.map((n) => n.text).join("")),
    start: (d) => starts[d]!,
    end: (d) => starts[d + 1]!,
  };
  const seeds = referenceSeeds(
    out.text,
    nd.map((n) => n.text),
    opts.k,
    opts.w,
  );
  return finishMatches(
    (s, e) => toRawSpan(out, s, e),
    resolveSeeds(out.text, seeds, text, opts),
    (c) => toRawSpan(nd[c.doc]!, c.dStart, c.dStart + 1)[0],
    (c) => documents[c.doc]!.id,
  );
}

/**
 * Containment-maximal substrings of the normalised output of at least `minLength` units that occur in a
 * document, each with its first occurrence: the verbatim part of the semantics without any hashing.
 */
export function referenceVerbatim(
  documents: readonly Document[],
  output: string,
  minLength: number,
): { start: number; end: number; docId: string; docOffset: number }[] {
  const nd = documents.map((d) => normalize(d.text, "text"));
  const out = normalize(output, "text");
  const o = out.text;
  const longest = (s: number) => {
    let best = 0;
    for (const n of nd) {
      for (let p = 0; p < n.text.length; p++) {
        let l = 0;
        while (s + l < o.length && p + l < n.text.length && o[s + l] === n.text[p + l]) l++;
        if (l > best) best = l;
      }
    }
    return best;
  };
  const m = Array.from({ length: o.length }, (_, s) => longest(s));
  const res: { start: number; end: number; docId: string; docOffset: number }[] = [];
  for (let s = 0; s < o.length; s++) {
    if (m[s]! < minLength || (s > 0 && m[s - 1]! > m[s]!)) continue;
    const sub = o.slice(s, s + m[s]!);
    const d = nd.findIndex((n) => n.text.includes(sub));
    const [start, end] = toRawSpan(out, s, s + m[s]!);
    const [docOffset] = toRawSpan(nd[d]!, nd[d]!.text.indexOf(sub), nd[d]!.text.indexOf(sub) + 1);
    res.push({ start, end, docId: documents[d]!.id, docOffset });
  }
  return res;
}
