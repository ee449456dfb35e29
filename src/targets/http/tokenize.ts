/**
 * The target's own tokenizer over HTTP, for servers that expose one next to their OpenAI API: llama.cpp
 * server `POST /tokenize` with `with_pieces`, and vLLM `POST /tokenize` with `return_token_strs`. Both live
 * at the server root (beside `/v1`). A tokenization is used only when its pieces spell the text back.
 */
import { z } from "zod";
import { TargetError } from "../../core/errors.js";
import { spellsText, textTokens } from "../../core/text-tokens.js";
import type { Tokenized } from "../../core/types.js";
import { guessPieceStyle, pieceBytes } from "../../local/pieces.js";
import { type OpenAiConn, post } from "./openai-calls.js";
import { tryProbe } from "./probe.js";
import { parseShape } from "./schemas.js";

/** Which tokenize shape a server speaks. */
export type TokenizePath = "llama.cpp /tokenize" | "vllm /tokenize";

const llamaCppSchema = z.object({
  tokens: z.array(z.object({ id: z.number(), piece: z.union([z.string(), z.array(z.number())]) })),
});
const vllmSchema = z.object({ tokens: z.array(z.number()), token_strs: z.array(z.string()).nullish() });

/** The server root of an OpenAI base URL: `http://h:8000/v1` → `http://h:8000`. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, "");
}

/**
 * Tokenize `text` (no special tokens) through `path`; a `malformed` TargetError when the answer does not
 * spell the text.
 */
export async function tokenizeCall(
  conn: OpenAiConn,
  path: TokenizePath,
  text: string,
  signal?: AbortSignal,
): Promise<Tokenized> {
  const url = `${serverRoot(conn.url)}/tokenize`;
  const body =
    path === "llama.cpp /tokenize"
      ? { content: text, add_special: false, with_pieces: true }
      : { model: conn.model, prompt: text, add_special_tokens: false, return_token_strs: true };
  const { data, ctx } = await post(conn, url, body, signal);
  let ids: number[];
  let labels: string[];
  let bytes: Uint8Array[];
  if (path === "llama.cpp /tokenize") {
    const res = parseShape(llamaCppSchema, data, ctx).tokens;
    ids = res.map((t) => t.id);
    bytes = res.map((t) =>
      typeof t.piece === "string" ? new Uint8Array(Buffer.from(t.piece, "utf8")) : Uint8Array.from(t.piece),
    );
    labels = bytes.map((b) => Buffer.from(b).toString("utf8"));
  } else {
    const res = parseShape(vllmSchema, data, ctx);
    if (!res.token_strs || res.token_strs.length !== res.tokens.length) {
      throw new TargetError(
        "malformed",
        `${ctx.op} at ${ctx.url} returned no token_strs; cannot map tokens to text`,
      );
    }
    const style = guessPieceStyle(res.token_strs);
    ids = res.tokens;
    labels = res.token_strs;
    bytes = labels.map((p) => pieceBytes(p, style));
  }
  if (!spellsText(bytes, text)) {
    throw new TargetError(
      "malformed",
      `Expected ${ctx.op} at ${ctx.url} to return tokens that spell the text back, got ${ids.length} tokens that do not; the prefix probe falls back to characters.`,
    );
  }
  return { tokens: textTokens(bytes, labels, text, ids), path };
}

/** Find which tokenize shape the server speaks, if any, by tokenizing a short text both ways. */
export async function probeTokenize(conn: OpenAiConn): Promise<{ path?: TokenizePath; note: string }> {
  const notes: string[] = [];
  for (const path of ["llama.cpp /tokenize", "vllm /tokenize"] as const) {
    const r = await tryProbe(path, () => tokenizeCall(conn, path, "Hello world 42"));
    if (r.ok) return { path, note: `${path}: ${r.value.tokens.length} tokens that spell the text` };
    notes.push(r.note);
  }
  return { note: notes.join("; ") };
}
