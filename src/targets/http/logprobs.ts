/**
 * Normalise every provider logprob shape into `TokenLogprob` at the adapter boundary. Sentinels
 * (OpenAI / vLLM -9999 "not in top-k", -inf, null) become `logprob: null` (censored), never numbers.
 */
import type { TokenLogprob, TopLogprob } from "../../core/types.js";
import { cumulativeOffsets } from "./offsets.js";
import type { ChatToken, CompletionLogprobs, TgiToken } from "./schemas.js";

/** Values at or below this are provider sentinels (OpenAI and vLLM use -9999), not log-probabilities. */
export const SENTINEL_FLOOR = -9000;

/**
 * A real log-probability, or null when censored (missing, non-finite, or a sentinel ≤ -9000).
 *
 * @example
 * cleanLogprob(-1.5) // -1.5
 * cleanLogprob(-9999) // null
 */
export function cleanLogprob(v: number | null | undefined): number | null {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= SENTINEL_FLOOR) return null;
  return v;
}

/** Top alternatives from `{token: logprob}` (completions) sorted best first; censored ones dropped. */
export function topFromRecord(
  rec: Readonly<Record<string, number>> | null | undefined,
): TopLogprob[] | undefined {
  if (!rec) return undefined;
  const out: TopLogprob[] = [];
  for (const [token, v] of Object.entries(rec)) {
    const logprob = cleanLogprob(v);
    if (logprob !== null) out.push({ token, logprob });
  }
  return out.sort((a, b) => b.logprob - a.logprob);
}

/** Top alternatives from `[{token, logprob}]` (chat, TGI) sorted best first; censored ones dropped. */
export function topFromList(
  list: readonly { token?: string; text?: string; logprob?: number | null }[] | null | undefined,
) {
  if (!list) return undefined;
  const out: TopLogprob[] = [];
  for (const t of list) {
    const logprob = cleanLogprob(t.logprob);
    if (logprob !== null) out.push({ token: t.token ?? t.text ?? "", logprob });
  }
  return out.sort((a, b) => b.logprob - a.logprob);
}

/** Chat `choices[i].logprobs.content` -> tokens with offsets into the generated text. */
export function fromChatContent(content: readonly ChatToken[], withTop: boolean): TokenLogprob[] {
  const offsets = cumulativeOffsets(content.map((c) => c.token));
  return content.map((c, i) => ({
    token: c.token,
    ...(c.bytes ? { bytes: c.bytes } : {}),
    logprob: cleanLogprob(c.logprob),
    offset: offsets[i] ?? 0,
    ...(withTop && c.top_logprobs ? { top: topFromList(c.top_logprobs) ?? [] } : {}),
  }));
}

/**
 * Completions `logprobs` -> tokens with indices in `[from, to)`, keeping those whose offset minus
 * `base` is ≥ 0, re-based so offsets count from `base`.
 */
export function fromCompletionLogprobs(
  lp: CompletionLogprobs,
  opts: { from?: number; to?: number; base?: number; withTop?: boolean } = {},
): TokenLogprob[] {
  const { from = 0, to = lp.tokens.length, base = 0, withTop = true } = opts;
  const offsets =
    lp.text_offset && lp.text_offset.length === lp.tokens.length
      ? lp.text_offset
      : cumulativeOffsets(lp.tokens);
  const out: TokenLogprob[] = [];
  for (let i = from; i < Math.min(to, lp.tokens.length); i++) {
    const offset = (offsets[i] ?? 0) - base;
    if (offset < 0) continue;
    const top = withTop ? topFromRecord(lp.top_logprobs?.[i]) : undefined;
    out.push({
      token: lp.tokens[i] ?? "",
      logprob: cleanLogprob(lp.token_logprobs[i]),
      offset,
      ...(top ? { top } : {}),
    });
  }
  return out;
}

/** TGI `details.tokens` (+ `top_tokens`) -> tokens with offsets into the generated text. */
export function fromTgiTokens(
  tokens: readonly TgiToken[],
  top: readonly (readonly TgiToken[])[] | null | undefined,
) {
  const offsets = cumulativeOffsets(tokens.map((t) => t.text));
  return tokens.map((t, i): TokenLogprob => {
    const alts = top?.[i] ? topFromList(top[i]) : undefined;
    return {
      token: t.text,
      logprob: cleanLogprob(t.logprob),
      offset: offsets[i] ?? 0,
      ...(alts ? { top: alts } : {}),
    };
  });
}
