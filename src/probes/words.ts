/** A whitespace-delimited word and its [start, end) span in the source text (UTF-16 offsets). */
export interface WordSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Whitespace word spans of `text`: the unit the prefix probe counts in, since probes have no tokenizer.
 *
 * @example
 * wordSpans("a  bc\nd"); // [{start:0,end:1},{start:3,end:5},{start:6,end:7}]
 */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Split `text` after its first `prefixWords` words: `prefix` ends at the end of that word (no trailing
 * whitespace), `suffix` is the exact text that follows (leading whitespace included) up to the end of the
 * next `suffixWords` words, or fewer when the text ends. Null when the text has no more than `prefixWords`
 * words.
 *
 * @example
 * splitAtWord("one two three four", 2, 1); // { prefix: "one two", suffix: " three", suffixWords: 1 }
 */
export function splitAtWord(
  text: string,
  prefixWords: number,
  suffixWords: number,
  spans: readonly WordSpan[] = wordSpans(text),
): { prefix: string; suffix: string; suffixWords: number } | null {
  if (prefixWords < 1 || spans.length <= prefixWords) return null;
  const cut = spans[prefixWords - 1]!.end;
  const last = Math.min(spans.length, prefixWords + suffixWords) - 1;
  return {
    prefix: text.slice(0, cut),
    suffix: text.slice(cut, spans[last]!.end),
    suffixWords: last - prefixWords + 1,
  };
}
