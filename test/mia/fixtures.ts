import type { ScoredText, TokenLogprob } from "../../src/core/types.js";

/** A scored text built from plain logprobs (null = censored); token strings are placeholders. */
export function scored(
  logprobs: readonly (number | null)[],
  text = "hello world",
  extra: Partial<TokenLogprob>[] = [],
): ScoredText {
  const tokens: TokenLogprob[] = logprobs.map((logprob, i) => ({ token: `t${i}`, logprob, ...extra[i] }));
  return { text, tokens, path: "fixture", usage: { promptTokens: tokens.length, completionTokens: 0 } };
}
