import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { TargetError } from "../core/errors.js";
import { type PositionScore, scoreTokens } from "./score.js";

/** Sampling and stopping for one generation. Defaults follow OpenAI: greedy unless `temperature > 0`. */
export interface GenerateOptions {
  /** Most tokens to generate (default 16); also capped by the room left in the context. */
  readonly maxTokens?: number;
  /** 0 (default) = greedy. */
  readonly temperature?: number;
  /** Nucleus mass (default 1 = off). */
  readonly topP?: number;
  /** Keep only the k most likely tokens (default 0 = off). */
  readonly topK?: number;
  /** Sampling seed; the same seed, prompt and settings give the same text. Unset = time-based. */
  readonly seed?: number;
  /** Stop before the first occurrence of any of these strings (not included in the text). */
  readonly stop?: readonly string[];
  /** Return the raw-model log-prob of each generated token (default false). */
  readonly logprobs?: boolean;
  /** Alternatives per generated token, with `logprobs` (default 0). */
  readonly topLogprobs?: number;
  /** Stops generating between tokens; the call then rejects with a `TargetError` of kind `aborted`. */
  readonly signal?: AbortSignal;
}

/** A finished generation: text, token ids, and raw log-probs when asked. */
export interface GenerateResult {
  readonly text: string;
  /** Generated token ids kept in `text` (tokens wholly after a stop string are dropped). */
  readonly tokens: readonly Token[];
  /** Raw log-prob of each kept token, when `logprobs` was set. */
  readonly scores?: readonly PositionScore[];
  readonly finishReason: "stop" | "length";
  /** Tokens the model produced, including any cut off by a stop string. */
  readonly generatedTokens: number;
  /** The stop string that ended the text, when one did. */
  readonly stopSequence?: string;
}

/**
 * Generate from `prompt` (token ids, BOS included when the model wants it) on an empty sequence.
 *
 * Sampling uses node-llama-cpp's own chain (temperature, top-k, top-p, seeded dist sampler), so a seed
 * reproduces the text. Log-probs are NOT read from that chain (with temperature > 0 it reshapes and truncates
 * the distribution): after generating, the generated tokens are scored teacher-forced with the default greedy
 * chain (`scoreTokens`), which gives the raw model's log-probs, identical to scoring the same text.
 * `finishReason` is `stop` on an end-of-generation token or a stop string, `length` on `maxTokens` or a full
 * context.
 */
export async function generateTokens(
  model: LlamaModel,
  seq: LlamaContextSequence,
  prompt: readonly Token[],
  opts: GenerateOptions = {},
): Promise<GenerateResult> {
  const room = seq.contextSize - prompt.length;
  const maxTokens = Math.min(opts.maxTokens ?? 16, room);
  const temperature = opts.temperature ?? 0;
  const out: Token[] = [];
  let finishReason: "stop" | "length" = maxTokens <= 0 ? "length" : "stop";
  let cut = -1;
  if (maxTokens > 0) {
    const sampling =
      temperature > 0
        ? { temperature, topP: opts.topP ?? 1, topK: opts.topK ?? 0, minP: 0, seed: opts.seed }
        : { temperature: 0 };
    finishReason = "stop";
    for await (const token of seq.evaluate([...prompt], sampling)) {
      throwIfAborted(opts.signal);
      out.push(token);
      cut = stopIndex(model.detokenize(out, false, prompt), opts.stop);
      if (cut >= 0) break;
      if (out.length >= maxTokens) {
        finishReason = "length";
        break;
      }
    }
  }
  const fullText = model.detokenize(out, false, prompt);
  let text = fullText;
  let kept = out;
  if (cut >= 0) {
    text = text.slice(0, cut);
    finishReason = "stop";
    kept = keepBefore(model, out, prompt, cut);
  }
  const matched = cut >= 0 ? opts.stop?.find((s) => s !== "" && fullText.indexOf(s) === cut) : undefined;
  const result: GenerateResult = {
    text,
    tokens: kept,
    finishReason,
    generatedTokens: out.length,
    ...(matched !== undefined && { stopSequence: matched }),
  };
  if (opts.logprobs !== true || kept.length === 0) return opts.logprobs ? { ...result, scores: [] } : result;
  const all = [...prompt, ...kept];
  await seq.adaptStateToTokens(all.slice(0, prompt.length - 1), false);
  const evaluated = Math.min(seq.nextTokenIndex, prompt.length - 1);
  const scores = await scoreTokens(seq, all, prompt.length, { topK: opts.topLogprobs ?? 0 }, evaluated);
  return { ...result, scores };
}

/** Throw a `TargetError` of kind `aborted` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TargetError(
      "aborted",
      "Expected the local model call to run to the end, got an abort signal.",
      {
        cause: signal.reason,
      },
    );
  }
}

/** Earliest index of any stop string in `text`, or -1. */
export function stopIndex(text: string, stop: readonly string[] | undefined): number {
  let best = -1;
  for (const s of stop ?? []) {
    if (s === "") continue;
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/** The prefix of `out` whose text starts before character `cut`. */
function keepBefore(
  model: LlamaModel,
  out: readonly Token[],
  prompt: readonly Token[],
  cut: number,
): Token[] {
  const kept: Token[] = [];
  for (const t of out) {
    if (model.detokenize(kept, false, prompt).length >= cut) break;
    kept.push(t);
  }
  return kept;
}
