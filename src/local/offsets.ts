/**
 * Character offsets of tokens in a text, from the tokens' raw bytes (never from joined token strings:
 * a multi-byte character can be split across byte-fallback tokens).
 *
 * The bytes are concatenated and walked as UTF-8; each token's offset is the UTF-16 index (JavaScript
 * string index) of the character holding its first byte, so a token that starts mid-character points at
 * that character. When the tokens spell the text with extra leading characters (SentencePiece's added
 * prefix space), offsets are shifted back so they index into `text`; offsets never exceed `text.length`.
 *
 * @example tokenOffsets([bytes(" Hi"), bytes(" there")], "Hi there") // => [0, 2]
 */
export function tokenOffsets(pieces: readonly Uint8Array[], text: string): number[] {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    all.set(p, at);
    at += p.length;
  }
  const byteToChar = new Uint32Array(total + 1);
  let char = 0;
  let lastLead = -1;
  for (let i = 0; i < total; i++) {
    const b = all[i]!;
    if ((b & 0xc0) !== 0x80) {
      // a new character starts: advance past the previous one (2 UTF-16 units for a 4-byte sequence)
      if (lastLead >= 0) char += (lastLead & 0xf8) === 0xf0 ? 2 : 1;
      lastLead = b;
    }
    byteToChar[i] = char;
  }
  const decoded = Buffer.from(all).toString("utf8");
  byteToChar[total] = decoded.length;
  const shift = decoded.length > text.length && decoded.endsWith(text) ? decoded.length - text.length : 0;
  const out: number[] = [];
  let start = 0;
  for (const p of pieces) {
    out.push(Math.min(text.length, Math.max(0, byteToChar[start]! - shift)));
    start += p.length;
  }
  return out;
}
