/** Splitting a document into a prompt prefix and its true suffix, by the target's tokens or by characters. */
import type { TextToken } from "../core/types.js";

/** A prefix to prompt with and the exact text that follows it in the document. */
export interface Split {
  readonly prefix: string;
  /** Leading whitespace included: `prefix + suffix` is a prefix of the document. */
  readonly suffix: string;
  /** End offset in `suffix` of each suffix token (token splits only). */
  readonly suffixTokenEnds?: readonly number[];
}

/**
 * Split after the first `n` tokens: the prefix ends where token `n` starts, the suffix runs over the next
 * (up to) `suffixTokens` tokens. `tokens` cover `text` from its start; when `text` was cut before
 * tokenizing (`complete` false) the last token is not used (it may be a fragment). Null when fewer than
 * `minSuffix` suffix tokens remain or the prefix would be empty.
 *
 * @example splitByTokens("a b c d", toks, 2, 2, 1, true) // { prefix: "a b", suffix: " c d", suffixTokenEnds: [2, 4] }
 */
export function splitByTokens(
  text: string,
  tokens: readonly TextToken[],
  n: number,
  suffixTokens: number,
  minSuffix: number,
  complete: boolean,
): Split | null {
  const usable = complete ? tokens.length : tokens.length - 1;
  if (n < 1 || usable - n < Math.max(1, minSuffix)) return null;
  const cut = tokens[n]!.start;
  if (text.slice(0, cut).trim() === "") return null;
  const last = Math.min(usable, n + suffixTokens) - 1;
  const end = tokens[last]!.end;
  const ends: number[] = [];
  for (let i = n; i <= last; i++) ends.push(tokens[i]!.end - cut);
  return { prefix: text.slice(0, cut), suffix: text.slice(cut, end), suffixTokenEnds: ends };
}

const SPACE = /\s/u;

/**
 * Split after about `chars` characters (no tokenizer): the cut moves back to the start of the whitespace
 * run at or before it when one lies in its last quarter (so the prefix ends on a word and the suffix starts
 * with its whitespace, as token splits do), and the suffix of about `suffixChars` characters is extended to
 * the end of its last word. Null when the text is not longer than the cut plus `minSuffixChars`.
 *
 * @example splitByChars("alpha beta gamma delta", 10, 6, 1) // { prefix: "alpha beta", suffix: " gamma" }
 */
export function splitByChars(
  text: string,
  chars: number,
  suffixChars: number,
  minSuffixChars: number,
): Split | null {
  if (chars < 1 || text.length <= chars) return null;
  let cut = chars;
  let back = cut;
  while (back > 0 && !SPACE.test(text[back]!)) back--;
  if (SPACE.test(text[back]!) && back >= chars * 0.75) {
    while (back > 0 && SPACE.test(text[back - 1]!)) back--;
    cut = back;
  }
  if (text.slice(0, cut).trim() === "") return null;
  let end = Math.min(text.length, cut + suffixChars);
  while (end < text.length && !SPACE.test(text[end]!)) end++;
  if (text.slice(cut, end).trim().length < minSuffixChars) return null;
  return { prefix: text.slice(0, cut), suffix: text.slice(cut, end) };
}
