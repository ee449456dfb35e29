/** Shared check of the typed-array normaliser against `normalize(s, "text")`. */
import { expect } from "vitest";
import { normalize } from "../../src/match/normalize.js";
import { normalizeInto, rawStart, unitSink } from "../../src/match/normalize-units.js";

/** `normalizeInto(s)` writes `normalize(s, "text").text` and maps every unit to the same raw start. */
export function expectLikeNormalize(s: string): void {
  const want = normalize(s, "text");
  const sink = unitSink(4);
  const breaks: number[] = [];
  const n = normalizeInto(s, sink, breaks, 0);
  expect(String.fromCharCode(...sink.buf.subarray(0, n))).toBe(want.text);
  for (let u = 0; u < n; u++) expect(rawStart(breaks, 0, breaks.length, u)).toBe(want.starts[u]);
}
