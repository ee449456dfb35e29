/**
 * Hugging Face TGI routes (B7): `POST /generate` and `GET /info`. Validation failures answer 422 with TGI's
 * `{error, error_type: "validation"}` body. Sampling follows TGI: it is on when `do_sample` is true or any
 * warper is set (`temperature` ≠ 1, `top_k` > 0, `top_p` < 1); otherwise decoding is greedy.
 * `details.prefill` lists the prompt tokens, BOS first with `logprob: null`; `generated_text` excludes a
 * matched stop sequence (TGI would include it).
 */
import type { Token } from "node-llama-cpp";
import type { LocalEngine } from "../local/engine.js";
import type { ServeContext } from "./context.js";
import { toSeed } from "./context.js";
import { type Body, bool, int, num, obj, optInt, stops } from "./fields.js";
import { HttpError } from "./http.js";

/** Default `max_new_tokens`. */
export const TGI_DEFAULT_MAX_NEW_TOKENS = 20;

function validation(message: string, param: string): HttpError {
  return new HttpError(422, message, param, "validation");
}

/** Re-throw a field error as a TGI validation error (422). */
function tgiFields<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof HttpError && err.status === 400) throw validation(err.message, err.param ?? "");
    throw err;
  }
}

function tokenInfo(engine: LocalEngine, id: Token, logprob: number | null) {
  return { id, text: engine.vocab.text(id), logprob, special: engine.vocab.isControl(id) };
}

/** Answer `POST /generate`. */
export async function tgiGenerate(body: Body, sc: ServeContext, signal: AbortSignal): Promise<unknown> {
  const { engine } = sc;
  const p = tgiFields(() => {
    if (typeof body.inputs !== "string")
      throw new HttpError(400, "Expected `inputs` to be a string.", "inputs");
    const params = obj(body, "parameters");
    return {
      inputs: body.inputs,
      stream: bool(body, "stream", false),
      maxNew: int(
        params,
        "max_new_tokens",
        TGI_DEFAULT_MAX_NEW_TOKENS,
        0,
        engine.contextSize,
        "parameters.max_new_tokens",
      ),
      details: bool(params, "details", false, "parameters.details"),
      decoderInput: bool(params, "decoder_input_details", false, "parameters.decoder_input_details"),
      topN: int(params, "top_n_tokens", 0, 0, sc.maxLogprobs, "parameters.top_n_tokens"),
      temperature: num(params, "temperature", 1, 0, 100, "parameters.temperature"),
      doSample: bool(params, "do_sample", false, "parameters.do_sample"),
      seed: optInt(params, "seed", 0, Number.MAX_SAFE_INTEGER, "parameters.seed"),
      topK: int(params, "top_k", 0, 0, 1_000_000, "parameters.top_k"),
      topP: num(params, "top_p", 1, 0, 1, "parameters.top_p"),
      stop: stops(params, "stop", 4, "parameters.stop"),
    };
  });
  if (p.temperature <= 0)
    throw validation("`temperature` must be strictly positive", "parameters.temperature");
  if (p.decoderInput && p.stream) {
    throw validation(
      "`decoder_input_details` == true is not supported when streaming tokens",
      "parameters.decoder_input_details",
    );
  }
  if (p.stream)
    throw validation("streaming is not supported by memscan serve; send `stream: false`", "stream");
  if (p.decoderInput && !sc.features.promptLogprobs) {
    throw validation(
      "`decoder_input_details` is not supported by this server",
      "parameters.decoder_input_details",
    );
  }
  const sampling = p.doSample || p.temperature !== 1 || p.topK > 0 || p.topP < 1;
  const seed = sampling ? (toSeed(p.seed) ?? Math.floor(Math.random() * 2 ** 32)) : undefined;
  const g = await engine.generate(p.inputs, {
    maxTokens: p.maxNew,
    temperature: sampling ? p.temperature : 0,
    topK: p.topK,
    topP: p.topP,
    ...(seed !== undefined && { seed }),
    stop: p.stop,
    logprobs: p.details,
    topLogprobs: p.topN,
    signal,
  });
  if (!p.details) return { generated_text: g.text };
  const prefill = p.decoderInput
    ? (await engine.score(p.inputs)).map((t) => tokenInfo(engine, t.id, t.logprob))
    : [];
  const scores = g.scores ?? [];
  return {
    generated_text: g.text,
    details: {
      finish_reason:
        g.stopSequence !== undefined ? "stop_sequence" : g.finishReason === "stop" ? "eos_token" : "length",
      generated_tokens: g.generatedTokens,
      seed: seed ?? null,
      prefill,
      tokens: scores.map((s) => tokenInfo(engine, s.token, s.logprob)),
      ...(p.topN > 0 && {
        top_tokens: scores.map((s) => (s.top ?? []).map((a) => tokenInfo(engine, a.token, a.logprob))),
      }),
    },
  };
}

/** Answer `GET /info` (the fields TGI clients read). */
export function tgiInfo(sc: ServeContext): unknown {
  return {
    model_id: sc.modelName,
    model_sha: null,
    model_pipeline_tag: "text-generation",
    max_concurrent_requests: 128,
    max_best_of: 1,
    max_stop_sequences: 4,
    max_input_tokens: sc.engine.contextSize - 1,
    max_total_tokens: sc.engine.contextSize,
    max_top_n_tokens: sc.maxLogprobs,
    router: "memscan-serve",
    version: "memscan",
  };
}
