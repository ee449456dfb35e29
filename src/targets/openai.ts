/**
 * The `openai` target: OpenAI and any OpenAI-compatible base URL (vLLM, llama.cpp server, Ollama,
 * LM Studio, `memscan serve`) through the `openai` SDK with `maxRetries: 0` (the scheduler is the one
 * retry layer). Capabilities are probed at connect time by cheap calls; see `http/openai-probe.ts`.
 */
import OpenAI from "openai";
import { ConfigError } from "../core/errors.js";
import type { Target, TargetInfo } from "../core/types.js";
import { chatCall, completeCall, type OpenAiConn, scoreCall } from "./http/openai-calls.js";
import { probeOpenAi } from "./http/openai-probe.js";
import { tokenizeCall } from "./http/tokenize.js";
import { cleanBaseUrl } from "./http/url.js";

/** Connection settings for {@link openaiTarget}. */
export interface OpenAiSpec {
  /** Model name sent with every request, e.g. `gpt-4o-mini` or the name a local server expects. */
  readonly model: string;
  /** Default `https://api.openai.com/v1`. For local servers include `/v1`, e.g. `http://127.0.0.1:8080/v1`. */
  readonly baseUrl?: string;
  /** Default `OPENAI_API_KEY`; a dummy key is used for non-OpenAI base URLs when neither is set. */
  readonly apiKey?: string;
  /** Per-call deadline in ms, body included. Default 60 000. */
  readonly timeoutMs?: number;
  /** Cancels capability probing. */
  readonly signal?: AbortSignal;
}

/** Default base URL. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** Default per-call deadline (ms). */
export const DEFAULT_TIMEOUT_MS = 60_000;

function resolveKey(spec: OpenAiSpec, url: string): string {
  const key = spec.apiKey ?? process.env.OPENAI_API_KEY;
  if (key) return key;
  if (new URL(url).hostname !== "api.openai.com") return "memscan-no-key";
  throw new ConfigError(
    "Expected an OpenAI API key in the target spec (`apiKey`) or OPENAI_API_KEY, got none; set one, or point `baseUrl` at a local server.",
  );
}

async function connect(spec: OpenAiSpec): Promise<Target> {
  if (typeof spec.model !== "string" || spec.model.trim() === "") {
    throw new ConfigError(
      `Expected \`model\` to be a non-empty model name, got ${JSON.stringify(spec.model)}.`,
    );
  }
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError(
      `Expected \`timeoutMs\` to be a positive number of milliseconds, got ${timeoutMs}.`,
    );
  }
  const url = cleanBaseUrl(spec.baseUrl ?? OPENAI_BASE_URL, "baseUrl");
  const apiKey = resolveKey(spec, url);
  const client = new OpenAI({
    apiKey,
    baseURL: spec.baseUrl ?? OPENAI_BASE_URL,
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const base: OpenAiConn = {
    client,
    model: spec.model,
    url,
    timeoutMs,
    secrets: [apiKey],
    maxTopLogprobs: 0,
  };
  const probe = await probeOpenAi(spec.signal ? { ...base, signal: spec.signal } : base);
  const conn: OpenAiConn = { ...base, maxTopLogprobs: probe.maxTopLogprobs, prefill: probe.prefill };
  const info: TargetInfo = {
    id: `openai:${spec.model}`,
    family: "openai",
    model: spec.model,
    endpoint: url,
    capabilities: probe.capabilities,
    notes: probe.notes,
    maxTopLogprobs: probe.maxTopLogprobs,
    ...(probe.tokenizePath ? { tokenizer: probe.tokenizePath } : {}),
    ...(probe.prefill ? { chatPrefill: "continue_final_message" } : {}),
  };
  const scorePath = probe.scorePath;
  const tokenizePath = probe.tokenizePath;
  return {
    info,
    ...(info.capabilities.chat ? { chat: (m, p, o) => chatCall(conn, m, p, o?.signal) } : {}),
    ...(info.capabilities.completion ? { complete: (t, p, o) => completeCall(conn, t, p, o?.signal) } : {}),
    ...(scorePath
      ? { scoreText: (t, o) => scoreCall(conn, scorePath, t, o?.context, o?.signal, o?.topLogprobs) }
      : {}),
    ...(tokenizePath ? { tokenize: (t, o) => tokenizeCall(conn, tokenizePath, t, o?.signal) } : {}),
  } satisfies Target;
}

/**
 * The `openai` target family.
 *
 * @example
 * const t = await openaiTarget.connect({ model: "overfit", baseUrl: "http://127.0.0.1:8080/v1" });
 * if (supports(t, "promptLogprobs")) console.log(await t.scoreText("Hello world"));
 */
export const openaiTarget = {
  family: "openai",
  summary: "OpenAI or any OpenAI-compatible API (vLLM, llama.cpp server, Ollama, LM Studio, memscan serve)",
  connect,
} as const;
