/**
 * Map token strings back to character offsets in a known text, for wire formats that give token
 * strings but no offsets (TGI `prefill`, vLLM `prompt_logprobs`, chat `logprobs.content`).
 */

/**
 * Offsets of `pieces` laid over `text`, scanning left to right from `start`.
 * A piece found at the cursor (or within `slack` characters after it) takes that position and moves
 * the cursor past it; a piece not found (a special token such as `<s>`, a byte-fallback piece such as
 * `<0xE2>`) gets the cursor position and does not move it.
 *
 * @example
 * alignOffsets("Hello world", ["<s>", "Hello", " world"]) // [0, 0, 5]
 */
export function alignOffsets(text: string, pieces: readonly string[], start = 0, slack = 2): number[] {
  let cursor = start;
  return pieces.map((p) => {
    if (p === "") return cursor;
    const at = text.indexOf(p, cursor);
    if (at >= 0 && at - cursor <= slack) {
      cursor = at + p.length;
      return at;
    }
    return cursor;
  });
}

/**
 * Cumulative offsets: each piece starts where the previous one ended.
 *
 * @example
 * cumulativeOffsets(["a", " bc", "d"]) // [0, 1, 4]
 */
export function cumulativeOffsets(pieces: readonly string[], start = 0): number[] {
  let at = start;
  return pieces.map((p) => {
    const o = at;
    at += p.length;
    return o;
  });
}
