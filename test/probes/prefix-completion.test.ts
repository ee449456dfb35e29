import { describe, expect, it } from "vitest";
import { CapabilityError, ConfigError } from "../../src/core/errors.js";
import type { TextToken, Tokenized } from "../../src/core/types.js";
import { prefixCompletion } from "../../src/probes/prefix-completion.js";
import { splitByChars, splitByTokens } from "../../src/probes/split.js";
import { BOTH, CHAT_ONLY, COMPLETION_ONLY, ctxFor, DOCS, run, words } from "./ctx.js";

/** SentencePiece-like tokens: each whitespace run starts a token with the word after it. */
function wordPieces(text: string): TextToken[] {
  return [...text.matchAll(/\s*\S+/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function tokensFor(texts: readonly string[]): Map<string, Tokenized> {
  return new Map(texts.map((t) => [t, { tokens: wordPieces(t), path: "test" }]));
}

describe("splitByTokens", () => {
  const text = "a bb ccc dddd";
  const toks = wordPieces(text);
  it.each([
    [1, 2, 1, { prefix: "a", suffix: " bb ccc", suffixTokenEnds: [3, 7] }],
    [2, 5, 1, { prefix: "a bb", suffix: " ccc dddd", suffixTokenEnds: [4, 9] }],
    [3, 1, 1, { prefix: "a bb ccc", suffix: " dddd", suffixTokenEnds: [5] }],
    [3, 5, 2, null],
    [4, 1, 1, null],
    [0, 1, 1, null],
  ] as const)("%i tokens, %i suffix tokens (min %i)", (n, s, min, expected) => {
    expect(splitByTokens(text, toks, n, s, min, true)).toEqual(expected);
  });

  it("does not use the last token of a text that was cut before tokenizing", () => {
    expect(splitByTokens(text, toks, 3, 1, 1, false)).toBeNull();
    expect(splitByTokens(text, toks, 2, 5, 1, false)).toEqual({
      prefix: "a bb",
      suffix: " ccc",
      suffixTokenEnds: [4],
    });
  });
});

describe("splitByChars", () => {
  it.each([
    ["alpha beta gamma delta", 10, 6, 1, { prefix: "alpha beta", suffix: " gamma" }],
    ["alpha beta gamma delta", 12, 3, 1, { prefix: "alpha beta", suffix: " gamma" }],
    ["alpha beta gamma delta", 8, 4, 1, { prefix: "alpha be", suffix: "ta gamma" }],
    ["alpha  \n beta", 8, 20, 1, { prefix: "alpha", suffix: "  \n beta" }],
    ["short", 8, 4, 1, null],
    ["alpha beta", 6, 4, 5, null],
  ] as const)("%j at %i chars, suffix %i (min %i)", (text, n, s, min, expected) => {
    expect(splitByChars(text, n, s, min)).toEqual(expected);
  });
});

describe("extraction.prefix-completion", () => {
  it("splits by the target's tokens when the runner tokenized the documents", () => {
    const ctx0 = ctxFor(COMPLETION_ONLY);
    const asked = [...prefixCompletion.tokenize!(prefixCompletion.defaults, ctx0)];
    expect(asked.length).toBe(DOCS.length);
    const atts = run(prefixCompletion, ctxFor(COMPLETION_ONLY, 7, { tokens: tokensFor(asked) }));
    const keys = atts.map((a) => a.key).sort();
    // d1: 120 words (tokens here) -> all four lengths; d2: 20 -> 8 (12 left >= 8); d4: 70 -> 8, 16, 32
    // (64 leaves 6 < 8); rec-1: 11 -> none
    expect(keys).toEqual(
      [
        "prefix:d1:t8",
        "prefix:d1:t16",
        "prefix:d1:t32",
        "prefix:d1:t64",
        "prefix:d2:t8",
        "prefix:d4:t8",
        "prefix:d4:t16",
        "prefix:d4:t32",
      ].sort(),
    );
    const a = atts.find((x) => x.key === "prefix:d1:t16")!;
    const text = DOCS[0]!.text;
    const cut = text.indexOf("alpha15") + 7;
    const end = text.indexOf("alpha47") + 7;
    expect(a.request).toEqual({ kind: "completion", prompt: text.slice(0, cut) });
    expect(a.meta).toMatchObject({
      kind: "prefix",
      docId: "d1",
      prefixLength: 16,
      unit: "tokens",
      tokenizer: "test",
      suffix: text.slice(cut, end),
      via: "completion",
    });
    const ends = (a.meta as unknown as { suffixTokenEnds: number[] }).suffixTokenEnds;
    expect(ends).toHaveLength(32);
    expect(ends.at(-1)).toBe(end - cut);
    expect(a.params).toEqual({ maxTokens: 32 + 8 + 2, temperature: 0 });
  });

  it("falls back to characters without a tokenizer, and for documents the tokenizer could not split", () => {
    const atts = run(prefixCompletion, ctxFor(COMPLETION_ONLY));
    for (const a of atts) {
      if (a.request.kind !== "completion" || a.meta.kind !== "prefix") throw new Error("unexpected attempt");
      expect(a.meta.unit).toBe("chars");
      expect(a.key).toBe(`prefix:${a.meta.docId}:c${a.meta.prefixLength}`);
      expect([32, 64, 128, 256]).toContain(a.meta.prefixLength);
      const doc = DOCS.find((d) => d.id === (a.meta as { docId: string }).docId)!;
      expect(doc.text.startsWith(a.request.prompt + a.meta.suffix)).toBe(true);
      expect(a.request.prompt).toBe(a.request.prompt.trimEnd());
      expect(a.meta.suffixTokenEnds).toBeUndefined();
    }
    expect(atts.some((a) => a.key === "prefix:d1:c256")).toBe(true);
    expect(run(prefixCompletion, ctxFor(COMPLETION_ONLY, 7, { tokens: new Map() }))).toEqual(atts);
    expect(prefixCompletion.tokenize!(prefixCompletion.parseParams({ unit: "chars" }), ctxFor(BOTH))).toEqual(
      [],
    );
  });

  it("the prompt plus the suffix is the document's own text, in both units", () => {
    const asked = [...prefixCompletion.tokenize!(prefixCompletion.defaults, ctxFor(COMPLETION_ONLY))];
    for (const ctx of [ctxFor(COMPLETION_ONLY), ctxFor(COMPLETION_ONLY, 7, { tokens: tokensFor(asked) })]) {
      for (const a of run(prefixCompletion, ctx)) {
        if (a.request.kind !== "completion" || a.meta.kind !== "prefix")
          throw new Error("unexpected attempt");
        const doc = DOCS.find((d) => d.id === (a.meta as { docId: string }).docId)!;
        expect(doc.text.startsWith(a.request.prompt + a.meta.suffix)).toBe(true);
      }
    }
  });

  it("samples maxDocuments documents with the seeded stream: same seed same set, other seeds differ", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `doc${i}`, text: words(60, `w${i}x`) }));
    const ids = (seed: number) =>
      run(prefixCompletion, ctxFor(COMPLETION_ONLY, seed, { documents: many }), { maxDocuments: 5 }).map(
        (a) => (a.meta as { docId: string }).docId,
      );
    expect(new Set(ids(1)).size).toBe(5);
    expect(ids(1)).toEqual(ids(1));
    expect([2, 3, 4].some((s) => ids(s).join() !== ids(1).join())).toBe(true);
  });

  it("records the document set; frames chat-only targets, with an assistant prefill where supported", () => {
    const doc = { ...DOCS[1]!, source: "members.jsonl" };
    const [a] = run(prefixCompletion, ctxFor(CHAT_ONLY, 1, { documents: [doc] }));
    expect(a!.request.kind).toBe("chat");
    if (a!.request.kind !== "chat") return;
    expect(a!.request.messages[0]!.content).toMatch(
      /^Continue this text verbatim.*\n\nbeta0 beta1 .* beta4$/s,
    );
    expect(a!.meta).toMatchObject({ source: "members.jsonl", via: "chat" });
    const prefill = { ...CHAT_ONLY, chatPrefill: "continue_final_message" };
    const [p] = run(prefixCompletion, ctxFor(prefill, 1, { documents: [doc] }));
    expect(p!.request).toEqual({
      kind: "chat",
      messages: [
        { role: "user", content: expect.stringMatching(/^Continue this text verbatim/) },
        { role: "assistant", content: expect.stringMatching(/^beta0 beta1 .* beta4$/) },
      ],
    });
    expect(p!.meta).toMatchObject({ via: "chat-prefill" });
    expect(run(prefixCompletion, ctxFor(BOTH))[0]!.request.kind).toBe("completion");
  });

  it("refuses a forced mode the target lacks, duplicate ids, and bad params", () => {
    expect(() => run(prefixCompletion, ctxFor(CHAT_ONLY), { mode: "completion" })).toThrow(CapabilityError);
    const dup = [DOCS[0]!, { ...DOCS[1]!, id: "d1" }];
    expect(() => run(prefixCompletion, ctxFor(BOTH, 1, { documents: dup }))).toThrow(/`d1` more than once/);
    expect(() => prefixCompletion.parseParams({ prefixLengths: [] })).toThrow(ConfigError);
    expect(() => prefixCompletion.parseParams({ prefixLengths: [8.5] })).toThrow(/prefixLengths\.0/);
    expect(() => prefixCompletion.parseParams({ unit: "words" })).toThrow(/unit/);
  });
});
