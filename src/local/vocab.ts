import type { LlamaModel, Token } from "node-llama-cpp";
import { pieceBytes } from "./pieces.js";

/**
 * The raw bytes each token stands for, read from the GGUF vocabulary (`tokenizer.ggml.tokens`):
 * - SentencePiece (`llama`): `▁` is a space, `<0xNN>` is one byte (byte fallback);
 * - byte-level BPE (`gpt2`): the GPT-2 byte-to-unicode table, inverted;
 * - anything else, or a missing table: the UTF-8 of the token's own detokenization.
 * Control tokens (BOS, EOS) have no bytes; their `piece` is their literal text (e.g. `<s>`).
 */
export class Vocab {
  private readonly cache = new Map<Token, Uint8Array>();
  private readonly pieces: readonly string[] | undefined;
  private readonly kind: string;

  constructor(private readonly model: LlamaModel) {
    const meta = model.fileInfo.metadata as { tokenizer?: { ggml?: { model?: unknown; tokens?: unknown } } };
    const ggml = meta.tokenizer?.ggml;
    this.kind = typeof ggml?.model === "string" ? ggml.model : "";
    this.pieces = Array.isArray(ggml?.tokens) ? (ggml.tokens as string[]) : undefined;
  }

  /** True for BOS/EOS and other control tokens that print nothing in plain text. */
  isControl(token: Token): boolean {
    return this.model.getTokenAttributes(token).control || this.model.isEogToken(token);
  }

  /** The token's piece as stored in the GGUF vocabulary (e.g. `▁Hello`, `<0x0A>`), when the table is there. */
  piece(token: Token): string | undefined {
    return this.pieces?.[token];
  }

  /** The bytes `token` adds to the text (empty for control tokens). */
  bytes(token: Token): Uint8Array {
    let out = this.cache.get(token);
    if (out === undefined) {
      out = this.compute(token);
      this.cache.set(token, out);
    }
    return out;
  }

  /** Readable text of one token: its bytes as UTF-8 (partial characters become U+FFFD), or `<s>` for control. */
  text(token: Token): string {
    if (this.isControl(token)) return this.model.detokenize([token], true);
    return Buffer.from(this.bytes(token)).toString("utf8");
  }

  private compute(token: Token): Uint8Array {
    if (this.isControl(token)) return new Uint8Array(0);
    const piece = this.pieces?.[token];
    if (piece !== undefined && this.kind === "llama") return pieceBytes(piece, "sentencepiece");
    if (piece !== undefined && this.kind === "gpt2") return pieceBytes(piece, "gpt2");
    return new Uint8Array(Buffer.from(this.model.detokenize([token], false), "utf8"));
  }
}
