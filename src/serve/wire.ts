/**
 * Engine results in the providers' wire formats (methods.md B1, B2, B4, B7). Token strings are the
 * tokens' own text (`<s>` for BOS); all log-probs are the raw model's natural-log values.
 */
import type { Token } from "node-llama-cpp";
import type { LocalEngine, ScoredToken } from "../local/engine.js";
import type { GenerateResult } from "../local/generate.js";
import { tokenOffsets } from "../local/offsets.js";
import type { PositionScore } from "../local/score.js";

/** OpenAI legacy completions `logprobs` object. */
export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: Array<number | null>;
  top_logprobs: Array<Record<string, number> | null>;
  text_offset: number[];
}

/** `{token: logprob}` of the top `k` plus the chosen token (so up to k+1 keys, as OpenAI/vLLM do). */
function topDict(
  engine: LocalEngine,
  top: ReadonlyArray<{ readonly token: Token; readonly logprob: number }> | undefined,
  k: number,
  chosen: string,
  chosenLogprob: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of (top ?? []).slice(0, k)) out[engine.vocab.text(a.token)] = a.logprob;
  out[chosen] = chosenLogprob;
  return out;
}

/** Character offsets of generated tokens within the generated text. */
export function generatedOffsets(engine: LocalEngine, g: GenerateResult): number[] {
  return tokenOffsets(
    g.tokens.map((t) => engine.vocab.bytes(t)),
    g.text,
  );
}

/**
 * The `logprobs` object of one completions choice: echoed prompt tokens first (when `prompt` is given; the
 * first has `null` log-prob and top list), then the generated tokens, offset by `base` characters.
 */
export function completionLogprobs(
  engine: LocalEngine,
  k: number,
  prompt: readonly ScoredToken[] | undefined,
  g: GenerateResult,
  base: number,
): CompletionLogprobs {
  const lp: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  for (const t of prompt ?? []) {
    lp.tokens.push(t.text);
    lp.token_logprobs.push(t.logprob);
    lp.top_logprobs.push(
      t.logprob === null
        ? null
        : topDict(
            engine,
            t.top?.map((a) => ({ token: a.id, logprob: a.logprob })),
            k,
            t.text,
            t.logprob,
          ),
    );
    lp.text_offset.push(t.offset);
  }
  const offsets = generatedOffsets(engine, g);
  (g.scores ?? []).forEach((s, i) => {
    const text = engine.vocab.text(s.token);
    lp.tokens.push(text);
    lp.token_logprobs.push(s.logprob);
    lp.top_logprobs.push(topDict(engine, s.top, k, text, s.logprob));
    lp.text_offset.push(base + (offsets[i] ?? g.text.length));
  });
  return lp;
}

/** One vLLM prompt-logprob entry: `{tokenId: {logprob, rank, decoded_token}}`. */
export type VllmEntry = Record<string, { logprob: number; rank: number; decoded_token: string }>;

/** vLLM `prompt_logprobs`: `null` for the first token, then the actual token (with its rank) plus the top `k`. */
export function vllmPromptLogprobs(prompt: readonly ScoredToken[], k: number): Array<VllmEntry | null> {
  return prompt.map((t) => {
    if (t.logprob === null) return null;
    const entry: VllmEntry = {
      [String(t.id)]: { logprob: t.logprob, rank: t.rank ?? 0, decoded_token: t.text },
    };
    (t.top ?? []).slice(0, k).forEach((a, r) => {
      entry[String(a.id)] ??= { logprob: a.logprob, rank: r + 1, decoded_token: a.text };
    });
    return entry;
  });
}

/** OpenAI chat `logprobs.content` entries. */
export function chatLogprobContent(engine: LocalEngine, scores: readonly PositionScore[], k: number) {
  const entry = (token: Token, logprob: number) => ({
    token: engine.vocab.text(token),
    logprob,
    bytes: [...engine.vocab.bytes(token)],
  });
  return scores.map((s) => ({
    ...entry(s.token, s.logprob),
    top_logprobs: (s.top ?? []).slice(0, k).map((a) => entry(a.token, a.logprob)),
  }));
}
