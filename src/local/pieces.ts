/**
 * Vocabulary pieces (the strings a tokenizer stores, e.g. GGUF `tokenizer.ggml.tokens` or vLLM `token_strs`)
 * back to the raw bytes they stand for.
 */

/** How a vocabulary spells bytes: SentencePiece (`▁` = space, `<0xNN>` = a byte), GPT-2 byte-level, or plain. */
export type PieceStyle = "sentencepiece" | "gpt2" | "plain";

let gpt2Table: Map<string, number> | undefined;

/** Invert GPT-2's `bytes_to_unicode` table: each printable stand-in character back to its byte. */
function gpt2Bytes(piece: string): Uint8Array {
  if (gpt2Table === undefined) {
    gpt2Table = new Map();
    let extra = 0;
    for (let b = 0; b < 256; b++) {
      const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      gpt2Table.set(String.fromCodePoint(printable ? b : 256 + extra++), b);
    }
  }
  const out: number[] = [];
  for (const ch of piece) {
    const b = gpt2Table.get(ch);
    if (b === undefined) out.push(...Buffer.from(ch, "utf8"));
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/**
 * The bytes one piece stands for.
 * @example pieceBytes("\u2581Hello", "sentencepiece") // bytes of " Hello"
 * @example pieceBytes("<0x0A>", "sentencepiece") // [10]
 */
export function pieceBytes(piece: string, style: PieceStyle): Uint8Array {
  if (style === "sentencepiece") {
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(Number.parseInt(byte[1]!, 16));
    return new Uint8Array(Buffer.from(piece.replaceAll("\u2581", " "), "utf8"));
  }
  if (style === "gpt2") return gpt2Bytes(piece);
  return new Uint8Array(Buffer.from(piece, "utf8"));
}

/**
 * Guess the style of a list of pieces from a tokenized text: `▁` or `<0xNN>` means SentencePiece; GPT-2's
 * stand-ins for space and newline (`Ġ`, `Ċ`) mean byte-level; otherwise plain text.
 */
export function guessPieceStyle(pieces: readonly string[]): PieceStyle {
  if (pieces.some((p) => p.includes("\u2581") || /^<0x[0-9A-Fa-f]{2}>$/.test(p))) return "sentencepiece";
  if (pieces.some((p) => p.includes("\u0120") || p.includes("\u010a"))) return "gpt2";
  return "plain";
}
