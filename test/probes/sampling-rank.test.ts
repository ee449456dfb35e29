import { describe, expect, it } from "vitest";
import {
  defaultRankSignal,
  defaultSignalOf,
  rankBySignals,
  rankSamples,
  sampleSignals,
} from "../../src/probes/sampling-rank.js";

describe("sampleSignals", () => {
  // zlib bytes by hand: 2-byte header + 4-byte Adler-32 + one fixed-Huffman deflate block
  // (3 header bits, 8 bits per literal a-z/space, 7-bit end code), rounded up to whole bytes.
  it.each([
    ["", 8], // 10 bits -> 2 bytes
    ["a", 9], // 18 bits -> 3 bytes
    ["hello world", 19], // 3 + 88 + 7 = 98 bits -> 13 bytes
  ])("zlib bytes of %j = %i", (text, bytes) => {
    expect(sampleSignals({ text }).zlibBytes).toBe(bytes);
  });

  it("computes perplexity, zlib ratio and reference ratio from mean logprobs", () => {
    const s = sampleSignals({ text: "hello world", meanLogprob: -2, referenceMeanLogprob: -4 });
    expect(s.perplexity).toBeCloseTo(Math.exp(2), 12); // 7.389
    expect(s.zlibRatio).toBe(9.5); // 19 / 2
    expect(s.referenceRatio).toBe(2); // log PPL_ref 4 / log PPL 2
  });

  it("a perfectly predicted text has an infinite zlib ratio; missing logprobs give zlib bytes only", () => {
    expect(sampleSignals({ text: "a", meanLogprob: 0 }).zlibRatio).toBe(Infinity);
    expect(sampleSignals({ text: "a" })).toEqual({ zlibBytes: 9 });
  });
});

describe("rankSamples", () => {
  const A = { text: "hello world", meanLogprob: -2, referenceMeanLogprob: -4 }; // zlib 9.5, ref 2
  const B = { text: "a", meanLogprob: -0.5, referenceMeanLogprob: -0.6 }; // zlib 18, ref 1.2
  const D = { text: "hello world", meanLogprob: -1, referenceMeanLogprob: -5 }; // zlib 19, ref 5

  it.each([
    ["perplexity", [B, D, A]],
    ["zlib", [D, B, A]],
    ["reference", [D, A, B]],
  ] as const)("orders by %s, most suspicious first", (by, order) => {
    const ranked = rankSamples([A, B, D], by);
    expect(ranked.map((r) => r.sample)).toEqual(order);
    expect(ranked.every((r) => r.by === by)).toBe(true);
  });

  it("defaults to the strongest signal every sample has", () => {
    expect(defaultRankSignal([A, B, D])).toBe("reference");
    expect(defaultRankSignal([A, { text: "x", meanLogprob: -1 }])).toBe("zlib");
    expect(defaultRankSignal([A, { text: "x" }])).toBe("none");
    expect(defaultRankSignal([])).toBe("none");
    expect(rankSamples([A, B, D])[0]!.signals.referenceRatio).toBe(5);
  });

  it("keeps input order without logprobs, and on ties", () => {
    const ranked = rankSamples([{ text: "b" }, { text: "a" }, { text: "c" }]);
    expect(ranked.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(ranked.map((r) => r.score)).toEqual([0, 0, 0]);
    const tie = rankSamples([A, { ...A }], "zlib");
    expect(tie.map((r) => r.index)).toEqual([0, 1]);
  });

  it("puts samples lacking the chosen signal last", () => {
    const ranked = rankSamples([{ text: "x" }, A], "zlib");
    expect(ranked.map((r) => r.index)).toEqual([1, 0]);
    expect(ranked[1]!.score).toBe(-Infinity);
  });

  it("ranks precomputed signals (folded from events) the same way, strongest common signal first", () => {
    const items = [
      { id: "a", signals: { zlibBytes: 40, zlibRatio: 20, referenceRatio: 1.1 } },
      { id: "b", signals: { zlibBytes: 40, zlibRatio: 90, referenceRatio: 3.5 } },
      { id: "c", signals: { zlibBytes: 40, zlibRatio: 50, referenceRatio: 2 } },
    ];
    expect(defaultSignalOf(items)).toBe("reference");
    expect(rankBySignals(items).map((r) => r.item.id)).toEqual(["b", "c", "a"]);
    const noRef = items.map((i) => ({ ...i, signals: { zlibBytes: 1, zlibRatio: i.signals.zlibRatio } }));
    expect(defaultSignalOf(noRef)).toBe("zlib");
    expect(rankBySignals([{ signals: { zlibBytes: 3 } }, { signals: { zlibBytes: 9 } }])[0]!.by).toBe("none");
  });
});
