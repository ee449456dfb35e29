/** Token spans of a text from the raw bytes of its tokens, shared by every tokenizer path. */
import { tokenOffsets } from "../local/offsets.js";
import type { TextToken } from "./types.js";

/**
 * True when the tokens' bytes spell `text`, allowing extra leading whitespace (SentencePiece's added
 * prefix space). A server that normalised the text (NFC, stripped spaces) fails this check.
 */
export function spellsText(pieces: readonly Uint8Array[], text: string): boolean {
  const decoded = Buffer.concat(pieces.map((p) => Buffer.from(p))).toString("utf8");
  if (decoded === text) return true;
  return decoded.endsWith(text) && decoded.slice(0, decoded.length - text.length).trim() === "";
}

/**
 * Lay tokens (their raw bytes, in order) over `text` and return each token's `[start, end)` UTF-16 span.
 * When several tokens share one character (byte fallback), all but the last get an empty span at it.
 *
 * @example textTokens([bytes(" Hi"), bytes(" there")], ["▁Hi", "▁there"], "Hi there")
 * // [{ text: "▁Hi", start: 0, end: 2 }, { text: "▁there", start: 2, end: 8 }]
 */
export function textTokens(
  pieces: readonly Uint8Array[],
  labels: readonly string[],
  text: string,
  ids?: readonly number[],
): TextToken[] {
  const starts = tokenOffsets(pieces, text);
  return starts.map((start, i) => {
    const end = Math.max(start, starts[i + 1] ?? text.length);
    const id = ids?.[i];
    return { ...(id !== undefined ? { id } : {}), text: labels[i] ?? "", start, end };
  });
}
