import type { Generation, GenParams, ScoredText, TokenLogprob } from "../../core/types.js";
import { startDeadline } from "./deadline.js";
import { type ErrorContext, responseError, targetError, toTargetError } from "./errors.js";
import { cleanLogprob, fromTgiTokens } from "./logprobs.js";
import { alignOffsets } from "./offsets.js";
import { parseShape, type TgiResponse, tgiResponseSchema } from "./schemas.js";

/** Where and how to reach a TGI server. */
export interface TgiConn {
  /** Endpoint base, e.g. `http://127.0.0.1:8080` (no key). */
  readonly endpointUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
  /** Largest accepted `top_n_tokens` (0 = none/unknown); requests are clamped to it. */
  readonly maxTopLogprobs: number;
  /** Extra signal every call honours (the connect-time signal while probing). */
  readonly signal?: AbortSignal;
}

/** POST `/generate` with `{inputs, parameters}`; returns the shape-checked body. */
export async function tgiGenerate(
  conn: TgiConn,
  inputs: string,
  parameters: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<TgiResponse> {
  const url = `${conn.endpointUrl}/generate`;
  const ctx: ErrorContext = { url, op: "POST /generate (TGI)", secrets: [conn.token] };
  const both = signal && conn.signal ? AbortSignal.any([signal, conn.signal]) : (signal ?? conn.signal);
  const d = startDeadline(conn.timeoutMs, both);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
      },
      body: JSON.stringify({ inputs, parameters }),
      signal: d.signal,
    });
    const text = await res.text();
    if (!res.ok) throw responseError(ctx, res.status, text, res.headers);
    return parseShape(tgiResponseSchema, JSON.parse(text), ctx);
  } catch (err) {
    throw toTargetError(err, { ...ctx, timedOut: d.timedOut, aborted: d.aborted });
  } finally {
    d.done();
  }
}

/** TGI sampling parameters from `GenParams` (greedy = `do_sample: false`; TGI rejects temperature 0). */
export function tgiParameters(params: GenParams, topN: number): Record<string, unknown> {
  const sample = params.temperature > 0;
  return {
    max_new_tokens: params.maxTokens,
    do_sample: sample,
    ...(sample ? { temperature: params.temperature } : {}),
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    ...(params.topK !== undefined ? { top_k: params.topK } : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.stop?.length ? { stop: [...params.stop] } : {}),
    details: true,
    ...(topN > 0 ? { top_n_tokens: topN } : {}),
  };
}

/** Generate from a raw prompt through `/generate`, with generated-token logprobs when asked. */
export async function tgiComplete(conn: TgiConn, prompt: string, params: GenParams, signal?: AbortSignal) {
  const k = conn.maxTopLogprobs > 0 ? Math.min(params.topLogprobs ?? 0, conn.maxTopLogprobs) : 0;
  const res = await tgiGenerate(conn, prompt, tgiParameters(params, k), signal);
  const det = res.details;
  const wantLp = params.logprobs === true || k > 0;
  const gen: Generation = {
    text: res.generated_text,
    ...(wantLp && det?.tokens
      ? { tokens: fromTgiTokens(det.tokens, k > 0 ? det.top_tokens : undefined) }
      : {}),
    ...(det?.finish_reason ? { finishReason: det.finish_reason } : {}),
    usage: {
      promptTokens: det?.prefill?.length ?? 0,
      completionTokens: det?.generated_tokens ?? det?.tokens?.length ?? 0,
    },
  };
  return gen;
}

/**
 * Teacher-forced scores of `text` after `context` from `details.prefill` (`decoder_input_details`).
 * The first prefill token (null) is dropped; offsets come from aligning token texts over the input.
 */
export async function tgiScore(
  conn: TgiConn,
  text: string,
  context = "",
  signal?: AbortSignal,
): Promise<ScoredText> {
  const inputs = context + text;
  const params = { max_new_tokens: 1, do_sample: false, details: true, decoder_input_details: true };
  const res = await tgiGenerate(conn, inputs, params, signal);
  const prefill = res.details?.prefill;
  if (!prefill) {
    const ctx = { url: `${conn.endpointUrl}/generate`, op: "POST /generate (TGI)" };
    throw targetError("malformed", ctx, "a response without `details.prefill`");
  }
  const offsets = alignOffsets(
    inputs,
    prefill.map((t) => t.text),
  );
  const tokens: TokenLogprob[] = [];
  for (let i = 1; i < prefill.length; i++) {
    const offset = (offsets[i] ?? 0) - context.length;
    if (offset < 0) continue;
    tokens.push({ token: prefill[i]!.text, logprob: cleanLogprob(prefill[i]!.logprob), offset });
  }
  const usage = { promptTokens: prefill.length, completionTokens: res.details?.generated_tokens ?? 0 };
  return { text, tokens, path: "tgi-prefill", usage };
}
