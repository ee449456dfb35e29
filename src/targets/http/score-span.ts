/**
 * Teacher-forced scores of a text from the two completions-endpoint shapes: echoed
 * `logprobs` (OpenAI legacy, vLLM) and vLLM's `prompt_logprobs`. The first prompt token (no
 * logprob) is dropped, generated tokens are cut off, and only the span after `contextLen`
 * characters is kept, with offsets counted from the start of the scored text.
 */
import type { TokenLogprob } from "../../core/types.js";
import { cleanLogprob, fromCompletionLogprobs } from "./logprobs.js";
import { alignOffsets } from "./offsets.js";
import type { CompletionLogprobs, VllmPromptEntry } from "./schemas.js";

/**
 * Scores from an `echo: true` completion of `prompt` (= context + text).
 * `echoed` is the returned choice text (prompt, maybe behind a literal BOS, plus any generated text).
 *
 * @example
 * scoreFromEcho(choice.logprobs, choice.text, "Hi there", 0, usage.prompt_tokens)
 */
export function scoreFromEcho(
  lp: CompletionLogprobs,
  echoed: string,
  prompt: string,
  contextLen: number,
  promptTokens?: number,
  withTop = false,
): TokenLogprob[] {
  const shift = echoed.startsWith(prompt) ? 0 : Math.max(0, echoed.indexOf(prompt));
  const offsets = lp.text_offset && lp.text_offset.length === lp.tokens.length ? lp.text_offset : undefined;
  let to = lp.tokens.length;
  if (offsets) {
    const gen = offsets.findIndex((o, i) => i > 0 && o - shift >= prompt.length);
    if (gen > 0) to = gen;
  }
  if (promptTokens !== undefined && promptTokens > 0 && promptTokens < to) to = promptTokens;
  return fromCompletionLogprobs(lp, { from: 1, to, base: shift + contextLen, withTop });
}

function pick(entry: VllmPromptEntry, id: number | undefined) {
  if (!entry) return undefined;
  if (id !== undefined && entry[String(id)]) return entry[String(id)];
  const values = Object.values(entry);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Scores from vLLM `prompt_logprobs` (entry 0 is null). The actual token at each position is found
 * through `promptTokenIds` when present, else the entry must hold one key (request `prompt_logprobs: 0`);
 * otherwise the position is censored. Offsets come from aligning `decoded_token` strings over `prompt`.
 */
export function scoreFromPromptLogprobs(
  entries: readonly VllmPromptEntry[],
  promptTokenIds: readonly number[] | null | undefined,
  prompt: string,
  contextLen: number,
): TokenLogprob[] {
  const picked = entries.map((e, i) => pick(e, promptTokenIds?.[i]));
  const pieces = picked.slice(1).map((p) => p?.decoded_token ?? "");
  const first = pieces.find((p) => p !== "") ?? "";
  const start = Math.max(0, prompt.indexOf(first));
  const offsets = alignOffsets(prompt, pieces, start);
  const out: TokenLogprob[] = [];
  picked.slice(1).forEach((p, j) => {
    const offset = (offsets[j] ?? 0) - contextLen;
    if (offset < 0) return;
    out.push({ token: p?.decoded_token ?? "", logprob: cleanLogprob(p?.logprob), offset });
  });
  return out;
}
