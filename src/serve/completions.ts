/**
 * `POST /v1/completions`: OpenAI legacy completions (B2) with vLLM's extras (B4): `echo` + `logprobs`
 * (prompt tokens first, BOS included as the first token with `null` log-prob, offsets into the echoed
 * text), `prompt_logprobs`, `return_token_ids`, `top_k`. Not streamed.
 */

import { randomUUID } from "node:crypto";
import type { ScoredToken } from "../local/engine.js";
import { checkModel, type ServeContext, toSeed } from "./context.js";
import { type Body, bool, int, num, optInt, stops } from "./fields.js";
import { HttpError } from "./http.js";
import { completionLogprobs, vllmPromptLogprobs } from "./wire.js";

function promptOf(body: Body): string {
  const p = body.prompt;
  if (typeof p === "string") return p;
  if (Array.isArray(p) && p.length === 1 && typeof p[0] === "string") return p[0];
  throw new HttpError(
    400,
    "Expected `prompt` to be a string (or an array of one string).",
    "prompt",
    "invalid_type",
  );
}

/** Answer a completions request (see the module comment for the fields honoured). */
export async function completions(body: Body, sc: ServeContext, signal: AbortSignal): Promise<unknown> {
  checkModel(body, sc);
  if (body.stream === true) {
    throw new HttpError(
      400,
      "Expected `stream` to be false or absent: memscan serve does not stream.",
      "stream",
    );
  }
  const prompt = promptOf(body);
  const { engine, maxLogprobs } = sc;
  const maxTokens = int(body, "max_tokens", 16, 0, engine.contextSize);
  const temperature = num(body, "temperature", 1, 0, 2);
  const topP = num(body, "top_p", 1, 0, 1);
  const topK = int(body, "top_k", 0, -1, 1_000_000);
  const seed = optInt(body, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const stop = stops(body, "stop");
  const n = int(body, "n", 1, 1, 16);
  const logprobs = optInt(body, "logprobs", 0, maxLogprobs);
  const echo = bool(body, "echo", false);
  const promptLogprobs = optInt(body, "prompt_logprobs", 0, maxLogprobs);
  const returnIds = bool(body, "return_token_ids", false);
  const echoLogprobs = echo && logprobs !== undefined;
  if (!sc.features.promptLogprobs && echoLogprobs) {
    throw new HttpError(
      400,
      "Setting 'echo' and 'logprobs' at the same time is not supported for this model.",
      "logprobs",
      "unsupported_parameter",
    );
  }
  if (!sc.features.promptLogprobs && promptLogprobs !== undefined) {
    throw new HttpError(
      400,
      "Expected no `prompt_logprobs`: this server does not return prompt log-probs.",
      "prompt_logprobs",
      "unsupported_parameter",
    );
  }
  let scored: ScoredToken[] | undefined;
  if (echoLogprobs || promptLogprobs !== undefined) {
    const k = Math.max(logprobs ?? 0, promptLogprobs ?? 0);
    scored = await engine.score(prompt, { topK: k, rank: promptLogprobs !== undefined });
  }
  const promptIds = scored?.map((t) => t.id) ?? engine.promptTokens(prompt);
  const choices: unknown[] = [];
  let completionTokens = 0;
  for (let i = 0; i < n; i++) {
    const g = await engine.generate(prompt, {
      maxTokens,
      temperature,
      topP,
      topK: Math.max(0, topK),
      ...(seed !== undefined && { seed: toSeed(seed, i) }),
      stop,
      logprobs: logprobs !== undefined,
      topLogprobs: logprobs ?? 0,
      signal,
    });
    completionTokens += g.generatedTokens;
    choices.push({
      index: i,
      text: echo ? prompt + g.text : g.text,
      logprobs:
        logprobs === undefined
          ? null
          : completionLogprobs(engine, logprobs, echo ? scored : undefined, g, echo ? prompt.length : 0),
      finish_reason: g.finishReason,
      stop_reason: g.stopSequence ?? null,
      ...(promptLogprobs !== undefined &&
        scored && { prompt_logprobs: vllmPromptLogprobs(scored, promptLogprobs) }),
      ...(returnIds && { prompt_token_ids: promptIds, token_ids: g.tokens }),
    });
  }
  return {
    id: `cmpl-${randomUUID().replaceAll("-", "")}`,
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: sc.modelName,
    choices,
    usage: {
      prompt_tokens: promptIds.length,
      completion_tokens: completionTokens,
      total_tokens: promptIds.length + completionTokens,
    },
  };
}
