import { describe, expect, it } from "vitest";
import { repeatedToken } from "../../src/probes/repeated-token.js";
import { BOTH, CHAT_ONLY, ctxFor, run } from "./ctx.js";

describe("divergence.repeated-token", () => {
  it("uses the repeated unit itself as a raw prompt, no instruction", () => {
    const atts = run(repeatedToken, ctxFor(BOTH), { units: ["the", "of the"], counts: [3, 5] });
    expect(atts.map((a) => a.key)).toEqual([
      'token:"the":r3',
      'token:"the":r5',
      'token:"of the":r3',
      'token:"of the":r5',
    ]);
    expect(atts[0]!.request).toEqual({ kind: "completion", prompt: "the the the" });
    expect(atts[2]!.request).toEqual({ kind: "completion", prompt: "of the of the of the" });
    expect(atts[1]!.meta).toEqual({ kind: "repeat", word: "the", template: "{repeated}", repeats: 5 });
    expect(atts[0]!.params).toEqual({ maxTokens: 256, temperature: 0 });
  });

  it("keeps keys distinct for units that differ only in whitespace", () => {
    const keys = run(repeatedToken, ctxFor(BOTH), { units: ["\n", " \n"], counts: [4] }).map((a) => a.key);
    expect(new Set(keys).size).toBe(2);
  });

  it("sends the same text as a chat message on chat-only targets", () => {
    const [a] = run(repeatedToken, ctxFor(CHAT_ONLY), { units: ["a"], counts: [2], separator: "" });
    expect(a!.request).toEqual({ kind: "chat", messages: [{ role: "user", content: "aa" }] });
  });

  it("rejects a count below 2 and an empty unit", () => {
    expect(() => repeatedToken.parseParams({ counts: [1] })).toThrow(/counts\.0/);
    expect(() => repeatedToken.parseParams({ units: [""] })).toThrow(/units\.0/);
  });
});
