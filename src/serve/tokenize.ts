/**
 * `POST /tokenize` in the two shapes servers use (methods.md has no section for it; these follow the servers):
 * - llama.cpp server: `{content, add_special?, with_pieces?}` → `{tokens: [id, ...]}`, or with pieces
 *   `{tokens: [{id, piece}]}` where `piece` is the token's text, or its bytes when they are not valid UTF-8;
 * - vLLM: `{prompt, add_special_tokens? (default true), return_token_strs?, model?}` →
 *   `{count, max_model_len, tokens, token_strs}` where `token_strs` are vocabulary pieces (`▁Hello`).
 * The body's fields tell them apart (`content` or `prompt`).
 */
import type { Token } from "node-llama-cpp";
import { checkModel, type ServeContext } from "./context.js";
import { type Body, bool } from "./fields.js";
import { describe, HttpError } from "./http.js";

function ids(sc: ServeContext, text: string, special: boolean): Token[] {
  return special ? sc.engine.promptTokens(text) : sc.engine.model.tokenize(text);
}

function piece(sc: ServeContext, id: Token): string | number[] {
  const bytes = sc.engine.vocab.bytes(id);
  if (bytes.length === 0) return sc.engine.vocab.text(id);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [...bytes];
  }
}

/** Answer `POST /tokenize` (see the module comment). */
export async function tokenize(body: Body, sc: ServeContext): Promise<unknown> {
  if (typeof body.content === "string") {
    const tokens = ids(sc, body.content, bool(body, "add_special", false));
    if (!bool(body, "with_pieces", false)) return { tokens };
    return { tokens: tokens.map((id) => ({ id, piece: piece(sc, id) })) };
  }
  if (typeof body.prompt === "string") {
    checkModel(body, sc);
    const tokens = ids(sc, body.prompt, bool(body, "add_special_tokens", true));
    const strs = bool(body, "return_token_strs", false);
    return {
      count: tokens.length,
      max_model_len: sc.engine.contextSize,
      tokens,
      token_strs: strs ? tokens.map((id) => sc.engine.vocab.piece(id) ?? sc.engine.vocab.text(id)) : null,
    };
  }
  throw new HttpError(
    400,
    `Expected \`content\` (llama.cpp) or \`prompt\` (vLLM) to be a string, got ${describe(body.content ?? body.prompt)}.`,
    body.content !== undefined ? "content" : "prompt",
    "invalid_type",
  );
}
