/** Shared check of the typed-array normaliser against `normalize(s, "text")`. */
import { expect } from "vitest";
import { normalize, toRawSpan } from "../../src/match/normalize.js";
import { normalizeInto, rawEnd, rawSpansFrom, rawStart, unitSink } from "../../src/match/normalize-units.js";

/**
 * `normalizeInto(s)` writes `normalize(s, "text").text` and maps every unit to the same raw start and end
 * (`rawEnd`), and `rawSpansFrom` maps spans as `toRawSpan` does.
 */
export function expectLikeNormalize(s: string): void {
  const want = normalize(s, "text");
  const sink = unitSink(4);
  const breaks: number[] = [];
  const n = normalizeInto(s, sink, breaks, 0);
  expect(String.fromCharCode(...sink.buf.subarray(0, n))).toBe(want.text);
  for (let u = 0; u < n; u++) {
    expect(rawStart(breaks, 0, breaks.length, u)).toBe(want.starts[u]);
    expect(rawEnd(s, breaks, 0, breaks.length, u), `end of unit ${u} of ${JSON.stringify(s)}`).toBe(
      want.ends[u],
    );
  }
  const spans = rawSpansFrom(s, n, breaks, 0, breaks.length);
  for (let a = 0; a <= n; a += 1 + (a % 3)) {
    for (let b = a; b <= n; b += 1 + (b % 4)) expect(spans(a, b)).toEqual(toRawSpan(want, a, b));
  }
}
