/** How many target tokens a repeated word takes, from a tokenization of the word written twice. */
import type { ProbeContext } from "./types.js";

/** The text tokenized to count a word's tokens: the word twice, so the second copy is tokenized in context. */
export function twice(word: string, separator = " "): string {
  return `${word}${separator}${word}`;
}

/**
 * Tokens of the second copy of `word` (separator included) in `twice(word, separator)`, or undefined when the
 * target has no tokenizer or the text could not be tokenized.
 * @example wordTokens(ctx, "poem") // 1 on the lab tokenizer ("▁poem")
 */
export function wordTokens(ctx: ProbeContext, word: string, separator = " "): number | undefined {
  const tokenized = ctx.tokens?.get(twice(word, separator));
  if (tokenized === undefined) return undefined;
  return tokenized.tokens.filter((t) => t.end > word.length).length;
}
