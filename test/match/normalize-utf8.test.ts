import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { normalize } from "../../src/match/normalize.js";
import { normalizeInto, normalizeUtf8Into, rawStart, unitSink } from "../../src/match/normalize-units.js";
import { expectLikeNormalize } from "./normalize-check.js";

const PIECES = [
  "alpha ",
  "Beta  ",
  "\n\t",
  "e\u0301",
  "a\u0300\u0327",
  "\u0301",
  "\u0327\u0300",
  "café ",
  "\u0430",
  "Ｆ",
  "😀",
  "中文",
  "ß",
  "İ",
  "\u00a0",
  "\ufeff",
  "ﬁ",
  "\u200b",
  "x",
  " ",
];
/** Invalid UTF-8: stray continuation, truncated sequences, overlong, encoded surrogate. */
const BAD = [[0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]];

function bytesOf(rng: Rng, n: number, bad: boolean): Uint8Array {
  const out: number[] = [];
  while (out.length < n) {
    if (bad && rng.next() < 0.1) out.push(...rng.pick(BAD));
    else out.push(...Buffer.from(rng.pick(PIECES), "utf8"));
  }
  return Uint8Array.from(out);
}

/** The string path on the decoded text (what the build did before it took bytes). */
function viaString(bytes: Uint8Array, base: number) {
  const sink = unitSink(4);
  const breaks: number[] = [];
  const n = normalizeInto(Buffer.from(bytes).toString("utf8"), sink, breaks, base);
  return { units: Array.from(sink.buf.subarray(0, n)), breaks };
}

function viaBytes(bytes: Uint8Array, base: number, prefix = 0) {
  const sink = unitSink(4);
  sink.len = prefix;
  const breaks: number[] = [];
  const n = normalizeUtf8Into(bytes, sink, breaks, base);
  return { units: Array.from(sink.buf.subarray(prefix, prefix + n)), breaks };
}

describe("normalizeUtf8Into", () => {
  it("equals normalizeInto of the decoded text, breakpoints included, on valid UTF-8", () => {
    const rng = new Rng(3, "utf8");
    for (let t = 0; t < 400; t++) {
      const b = bytesOf(rng, rng.int(120), false);
      const base = rng.int(3) * 1000;
      expect(viaBytes(b, base, rng.int(5))).toEqual(viaString(b, base));
    }
  });

  it("decodes invalid UTF-8 as Buffer#toString does (U+FFFD), with the same raw offsets", () => {
    const rng = new Rng(5, "utf8-bad");
    for (let t = 0; t < 400; t++) {
      const b = bytesOf(rng, rng.int(120), true);
      expect(viaBytes(b, 7)).toEqual(viaString(b, 7));
    }
  });

  it("matches normalize(text) on mostly non-ASCII text (decoded whole past many pieces)", () => {
    const s = "Привет, мир! e\u0301 ".repeat(200);
    const want = normalize(s, "text");
    const sink = unitSink(4);
    const breaks: number[] = [];
    const n = normalizeUtf8Into(Buffer.from(s, "utf8"), sink, breaks, 0);
    expect(String.fromCharCode(...sink.buf.subarray(0, n))).toBe(want.text);
    for (let u = 0; u < n; u++) expect(rawStart(breaks, 0, breaks.length, u)).toBe(want.starts[u]);
  });

  it("keeps a leading BOM in the raw offsets and handles empty input", () => {
    expect(viaBytes(Buffer.from("\ufeffAb  c", "utf8"), 0)).toEqual(viaString(Buffer.from("\ufeffAb  c"), 0));
    expect(viaBytes(new Uint8Array(0), 0)).toEqual({ units: [], breaks: [] });
  });
});

describe("normalizeInto", () => {
  it("equals normalize(text) around single spaces, collapsed runs and marks after spaces", () => {
    for (const s of [
      "a b  c",
      "a \u0301b",
      "ab \u0301\u0327 c",
      " \u0301",
      "x\t\n y  \u0301",
      "a b\u0301 c",
    ]) {
      expectLikeNormalize(s);
      expect(viaBytes(Buffer.from(s), 0)).toEqual(viaString(Buffer.from(s), 0));
    }
  });
});
