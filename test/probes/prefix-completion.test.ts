import { describe, expect, it } from "vitest";
import { CapabilityError, ConfigError } from "../../src/core/errors.js";
import { prefixCompletion } from "../../src/probes/prefix-completion.js";
import { splitAtWord, wordSpans } from "../../src/probes/words.js";
import { BOTH, CHAT_ONLY, COMPLETION_ONLY, ctxFor, DOCS, run, words } from "./ctx.js";

describe("splitAtWord", () => {
  it.each([
    ["one two three four", 2, 1, { prefix: "one two", suffix: " three", suffixWords: 1 }],
    ["one two three four", 2, 5, { prefix: "one two", suffix: " three four", suffixWords: 2 }],
    ["  a\n\nb  c ", 1, 2, { prefix: "  a", suffix: "\n\nb  c", suffixWords: 2 }],
    ["one two", 2, 1, null],
    ["", 1, 1, null],
  ])("%j at %i words, %i suffix words", (text, n, s, expected) => {
    expect(splitAtWord(text, n, s)).toEqual(expected);
  });

  it("finds word spans in UTF-16 offsets", () => {
    expect(wordSpans("a  bc\nd")).toEqual([
      { start: 0, end: 1 },
      { start: 3, end: 5 },
      { start: 6, end: 7 },
    ]);
  });
});

describe("extraction.prefix-completion", () => {
  it("splits each document at each prefix length, skipping documents too short", () => {
    const atts = run(prefixCompletion, ctxFor(COMPLETION_ONLY));
    const keys = atts.map((a) => a.key).sort();
    // d1: 120 words -> all four lengths; d2: 20 words -> 8 (12 left >= 8); d4: 70 words -> 8, 16, 32 (64 leaves 6 < 8);
    // rec-1: 11 words -> none
    expect(keys).toEqual(
      [
        "prefix:d1:w8",
        "prefix:d1:w16",
        "prefix:d1:w32",
        "prefix:d1:w64",
        "prefix:d2:w8",
        "prefix:d4:w8",
        "prefix:d4:w16",
        "prefix:d4:w32",
      ].sort(),
    );
    const a = atts.find((x) => x.key === "prefix:d1:w16")!;
    const text = DOCS[0]!.text;
    expect(a.request).toEqual({ kind: "completion", prompt: text.slice(0, text.indexOf("alpha15") + 7) });
    expect(a.meta).toEqual({
      kind: "prefix",
      docId: "d1",
      prefixLength: 16,
      unit: "words",
      suffix: text.slice(text.indexOf("alpha15") + 7, text.indexOf("alpha47") + 7),
    });
    expect(a.params).toEqual({ maxTokens: 32 * 4, temperature: 0 });
  });

  it("the prompt plus the suffix is the document's own text", () => {
    for (const a of run(prefixCompletion, ctxFor(COMPLETION_ONLY))) {
      if (a.request.kind !== "completion" || a.meta.kind !== "prefix") throw new Error("unexpected attempt");
      const doc = DOCS.find((d) => d.id === (a.meta as { docId: string }).docId)!;
      expect(doc.text.startsWith(a.request.prompt + a.meta.suffix)).toBe(true);
      expect(a.request.prompt).toBe(a.request.prompt.trimEnd());
    }
  });

  it("samples maxDocuments documents with the seeded stream: same seed same set, other seeds differ", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `doc${i}`, text: words(30, `w${i}x`) }));
    const ids = (seed: number) =>
      run(prefixCompletion, ctxFor(COMPLETION_ONLY, seed, { documents: many }), { maxDocuments: 5 }).map(
        (a) => (a.meta as { docId: string }).docId,
      );
    expect(new Set(ids(1)).size).toBe(5);
    expect(ids(1)).toEqual(ids(1));
    expect([2, 3, 4].some((s) => ids(s).join() !== ids(1).join())).toBe(true);
  });

  it("frames a 'continue verbatim' chat request on chat-only targets", () => {
    const [a] = run(prefixCompletion, ctxFor(CHAT_ONLY, 1, { documents: [DOCS[1]!] }));
    expect(a!.request.kind).toBe("chat");
    if (a!.request.kind !== "chat") return;
    expect(a!.request.messages[0]!.content).toMatch(
      /^Continue this text verbatim.*\n\nbeta0 beta1 .* beta7$/s,
    );
    expect(run(prefixCompletion, ctxFor(BOTH))[0]!.request.kind).toBe("completion");
  });

  it("refuses a forced mode the target lacks, duplicate ids, and bad params", () => {
    expect(() => run(prefixCompletion, ctxFor(CHAT_ONLY), { mode: "completion" })).toThrow(CapabilityError);
    const dup = [DOCS[0]!, { ...DOCS[1]!, id: "d1" }];
    expect(() => run(prefixCompletion, ctxFor(BOTH, 1, { documents: dup }))).toThrow(/`d1` more than once/);
    expect(() => prefixCompletion.parseParams({ prefixLengths: [] })).toThrow(ConfigError);
    expect(() => prefixCompletion.parseParams({ prefixLengths: [8.5] })).toThrow(/prefixLengths\.0/);
  });
});
