/**
 * The `hf` target: Hugging Face Inference Providers and Inference Endpoints through
 * `@huggingface/inference` (chat completion, text generation), plus a direct TGI path
 * (`POST {endpointUrl}/generate` with `details` and `decoder_input_details`) for prompt and
 * generated-token logprobs. Capabilities are probed at connect time; see `http/hf-probe.ts`.
 */
import {
  InferenceClient,
  type InferenceProviderOrPolicy,
  PROVIDERS_OR_POLICIES,
} from "@huggingface/inference";
import { ConfigError } from "../core/errors.js";
import type { Target, TargetInfo } from "../core/types.js";
import { type HfConn, hfChat, hfTextGeneration } from "./http/hf-calls.js";
import { probeHf } from "./http/hf-probe.js";
import { type TgiConn, tgiComplete, tgiScore } from "./http/tgi.js";
import { cleanBaseUrl } from "./http/url.js";

/** Connection settings for {@link hfTarget}: an `endpointUrl`, or a `model` (with an optional `provider`). */
export interface HfSpec {
  /** Hub model id, e.g. `meta-llama/Llama-3.1-8B-Instruct`. Required without `endpointUrl`. */
  readonly model?: string;
  /** Inference Endpoint or TGI base URL, e.g. `http://127.0.0.1:8080`. Excludes `provider`. */
  readonly endpointUrl?: string;
  /** Inference Provider (`together`, `hf-inference`, ...). Default `auto`. */
  readonly provider?: string;
  /** Default `HF_TOKEN`. Optional for a local endpoint. */
  readonly token?: string;
  /** Per-call deadline in ms, body included. Default 60 000. */
  readonly timeoutMs?: number;
  /** Cancels capability probing. */
  readonly signal?: AbortSignal;
}

function route(spec: HfSpec): HfConn["route"] {
  if (spec.endpointUrl) {
    if (spec.provider) {
      throw new ConfigError(
        "Expected either `endpointUrl` or `provider` for an hf target, got both; drop one.",
      );
    }
    return { endpointUrl: cleanBaseUrl(spec.endpointUrl, "endpointUrl") };
  }
  if (!spec.model)
    throw new ConfigError("Expected an hf target to have `model` or `endpointUrl`, got neither.");
  const provider = spec.provider ?? "auto";
  if (!(PROVIDERS_OR_POLICIES as readonly string[]).includes(provider)) {
    throw new ConfigError(
      `Expected \`provider\` to be one of ${PROVIDERS_OR_POLICIES.join(", ")}, got "${provider}".`,
    );
  }
  return { model: spec.model, provider: provider as InferenceProviderOrPolicy };
}

async function connect(spec: HfSpec): Promise<Target> {
  const timeoutMs = spec.timeoutMs ?? 60_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError(
      `Expected \`timeoutMs\` to be a positive number of milliseconds, got ${timeoutMs}.`,
    );
  }
  const r = route(spec);
  const token = spec.token ?? process.env.HF_TOKEN;
  if (!token && !("endpointUrl" in r)) {
    throw new ConfigError(
      "Expected a Hugging Face token in the target spec (`token`) or HF_TOKEN, got none.",
    );
  }
  const url = "endpointUrl" in r ? r.endpointUrl : `https://router.huggingface.co (${r.provider})`;
  const client = new InferenceClient(token);
  const sig = spec.signal ? { signal: spec.signal } : {};
  const hf: HfConn = { client, route: r, url, timeoutMs, secrets: [token], maxTopLogprobs: 0 };
  const tgi: TgiConn | undefined =
    "endpointUrl" in r
      ? { endpointUrl: r.endpointUrl, timeoutMs, maxTopLogprobs: 0, ...(token ? { token } : {}) }
      : undefined;
  const probe = await probeHf({ ...hf, ...sig }, tgi ? { ...tgi, ...sig } : undefined);
  const hfc: HfConn = { ...hf, maxTopLogprobs: probe.chatTop };
  const tgic = tgi ? { ...tgi, maxTopLogprobs: probe.tgiTop } : undefined;
  const model = spec.model ?? "tgi";
  const info: TargetInfo = {
    id: `hf:${model}`,
    family: "hf",
    model,
    endpoint: url,
    capabilities: probe.capabilities,
    notes: probe.notes,
    maxTopLogprobs: Math.max(probe.tgiTop, probe.chatTop),
  };
  const useTgi = probe.tgi && tgic !== undefined;
  return {
    info,
    ...(info.capabilities.chat ? { chat: (m, p, o) => hfChat(hfc, m, p, o?.signal) } : {}),
    ...(info.capabilities.completion
      ? {
          complete: (t, p, o) =>
            useTgi ? tgiComplete(tgic, t, p, o?.signal) : hfTextGeneration(hfc, t, p, o?.signal),
        }
      : {}),
    ...(info.capabilities.promptLogprobs && tgic
      ? { scoreText: (t, o) => tgiScore(tgic, t, o?.context, o?.signal) }
      : {}),
  } satisfies Target;
}

/**
 * The `hf` target family.
 *
 * @example
 * const t = await hfTarget.connect({ endpointUrl: "http://127.0.0.1:8080" });
 * if (supports(t, "promptLogprobs")) await t.scoreText("Hello world");
 */
export const hfTarget = {
  family: "hf",
  summary: "Hugging Face Inference Providers / Endpoints (@huggingface/inference) and TGI /generate",
  connect,
} as const;
