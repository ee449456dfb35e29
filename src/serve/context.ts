import type { LocalEngine } from "../local/engine.js";
import type { Body } from "./fields.js";
import { describe, HttpError } from "./http.js";

/** Routes and abilities a server offers; switch them off to imitate servers that lack them. */
export interface ServeFeatures {
  /** `echo`+`logprobs`, vLLM `prompt_logprobs`, TGI `decoder_input_details` (default true). */
  readonly promptLogprobs?: boolean;
  /** `POST /v1/chat/completions` (default true). */
  readonly chat?: boolean;
  /** TGI `POST /generate` and `GET /info` (default true). */
  readonly tgi?: boolean;
  /** `POST /v1/completions` (default true); off imitates a chat-only API. */
  readonly completions?: boolean;
  /** `POST /tokenize`, llama.cpp and vLLM shapes (default true). */
  readonly tokenize?: boolean;
}

/** What every route handler needs. */
export interface ServeContext {
  readonly engine: LocalEngine;
  readonly modelName: string;
  readonly features: Required<ServeFeatures>;
  /** Largest `logprobs` / `top_logprobs` / `prompt_logprobs` / `top_n_tokens` accepted (vLLM's default 20). */
  readonly maxLogprobs: number;
}

/** Reject a `model` that is not the one served (404 like vLLM); a missing `model` is accepted. */
export function checkModel(body: Body, sc: ServeContext): void {
  const m = body.model;
  if (m === undefined || m === null || m === sc.modelName) return;
  if (typeof m !== "string") {
    throw new HttpError(
      400,
      `Expected \`model\` to be a string, got ${describe(m)}.`,
      "model",
      "invalid_type",
    );
  }
  throw new HttpError(
    404,
    `The model \`${m}\` does not exist; this server serves \`${sc.modelName}\` (see GET /v1/models).`,
    "model",
    "model_not_found",
  );
}

/** Seeds on the wire are any integer; node-llama-cpp takes an unsigned 32-bit one. */
export function toSeed(seed: number | undefined, choice = 0): number | undefined {
  if (seed === undefined) return undefined;
  const s = (seed + choice) % 2 ** 32;
  return s < 0 ? s + 2 ** 32 : s;
}
