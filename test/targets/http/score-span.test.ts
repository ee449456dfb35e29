import { describe, expect, it } from "vitest";
import type { VllmPromptEntry } from "../../../src/targets/http/schemas.js";
import { scoreFromEcho, scoreFromPromptLogprobs } from "../../../src/targets/http/score-span.js";

describe("scoreFromEcho", () => {
  const prompt = "Hi there you";
  const lp = {
    tokens: ["<s>", "Hi", " there", " you", "!"],
    token_logprobs: [null, -3, -1, -9999, -0.2],
    text_offset: [0, 3, 5, 11, 15],
  };

  it("drops the first token, cuts the generated one, censors -9999, undoes a literal BOS shift", () => {
    const out = scoreFromEcho(lp, `<s>${prompt}!`, prompt, 0, 4);
    expect(out).toEqual([
      { token: "Hi", logprob: -3, offset: 0 },
      { token: " there", logprob: -1, offset: 2 },
      { token: " you", logprob: null, offset: 8 },
    ]);
  });

  it("keeps only tokens at or after the context", () => {
    const out = scoreFromEcho(lp, `<s>${prompt}!`, prompt, "Hi".length);
    expect(out.map((t) => [t.token, t.offset])).toEqual([
      [" there", 0],
      [" you", 6],
    ]);
  });

  it("cuts generated tokens by offset when usage is missing", () => {
    const plain = { tokens: ["Hi", " there", "!"], token_logprobs: [null, -1, -0.5], text_offset: [0, 2, 8] };
    expect(scoreFromEcho(plain, "Hi there!", "Hi there", 0).map((t) => t.token)).toEqual([" there"]);
  });
});

describe("scoreFromPromptLogprobs (vLLM)", () => {
  it("picks the actual token by id, else a single key, else censors", () => {
    const entries: VllmPromptEntry[] = [
      null,
      {
        "7": { logprob: -1, rank: 2, decoded_token: " quick" },
        "9": { logprob: -0.5, rank: 1, decoded_token: " big" },
      },
      { "8": { logprob: -2, rank: 3, decoded_token: " fox" } },
    ];
    expect(scoreFromPromptLogprobs(entries, [1, 7, 8], "The quick fox", 0)).toEqual([
      { token: " quick", logprob: -1, offset: 3 },
      { token: " fox", logprob: -2, offset: 9 },
    ]);
    const noIds = scoreFromPromptLogprobs(entries, undefined, "The quick fox", 0);
    expect(noIds.map((t) => t.logprob)).toEqual([null, -2]);
  });
});
