import { describe, expect, it } from "vitest";
import {
  cleanLogprob,
  fromChatContent,
  fromCompletionLogprobs,
  topFromRecord,
} from "../../../src/targets/http/logprobs.js";
import { alignOffsets, cumulativeOffsets } from "../../../src/targets/http/offsets.js";
import type { CompletionLogprobs } from "../../../src/targets/http/schemas.js";

describe("cleanLogprob", () => {
  it.each([
    [-1.25, -1.25],
    [0, 0],
    [-9999, null],
    [-9999.0001, null],
    [-8999, -8999],
    [null, null],
    [undefined, null],
    [Number.NEGATIVE_INFINITY, null],
    [Number.NaN, null],
  ])("%s -> %s", (v, want) => expect(cleanLogprob(v)).toBe(want));
});

describe("top alternatives and token shapes", () => {
  it("sorts completions top_logprobs and drops sentinels", () => {
    expect(topFromRecord({ a: -2, b: -0.5, c: -9999 })).toEqual([
      { token: "b", logprob: -0.5 },
      { token: "a", logprob: -2 },
    ]);
    expect(topFromRecord(null)).toBeUndefined();
  });

  it("normalises chat logprobs.content with offsets, bytes and censored values", () => {
    const toks = fromChatContent(
      [
        { token: "Hi", logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: "Hi", logprob: -0.1 }] },
        { token: " there", logprob: -9999, bytes: null, top_logprobs: [] },
      ],
      true,
    );
    expect(toks).toEqual([
      { token: "Hi", bytes: [72, 105], logprob: -0.1, offset: 0, top: [{ token: "Hi", logprob: -0.1 }] },
      { token: " there", logprob: null, offset: 2, top: [] },
    ]);
  });

  it("re-bases completions text_offset and keeps the index window", () => {
    const lp: CompletionLogprobs = {
      tokens: ["A", " b", " c"],
      token_logprobs: [null, -1, -2],
      text_offset: [10, 11, 13],
      top_logprobs: [null, { " b": -1 }, { " c": -2 }],
    };
    expect(fromCompletionLogprobs(lp, { from: 1, base: 10, withTop: false })).toEqual([
      { token: " b", logprob: -1, offset: 1 },
      { token: " c", logprob: -2, offset: 3 },
    ]);
  });
});

describe("offsets", () => {
  it.each([
    ["Hello world", ["<s>", "Hello", " world"], [0, 0, 5]],
    ["Hello world", ["Hello", "world"], [0, 6]],
    ["a é b", ["a", " ", "<0xC3>", "<0xA9>", " b"], [0, 1, 2, 2, 3]],
    ["x", ["", "x"], [0, 0]],
  ])("alignOffsets(%j, %j)", (text, pieces, want) => expect(alignOffsets(text, pieces)).toEqual(want));

  it("cumulativeOffsets", () => expect(cumulativeOffsets(["a", " bc", "d"], 2)).toEqual([2, 3, 6]));
});
