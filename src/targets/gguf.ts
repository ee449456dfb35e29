/**
 * The `gguf` target: a local GGUF model run in-process through node-llama-cpp (see `src/local/`).
 * Nothing is probed over a network: the engine gives completion, raw generated-token log-probs, teacher-forced
 * prompt log-probs with the full next-token distribution (Min-K%++ moments), several samples, and seeds.
 * These lab models are plain completion models without a chat template, so `chat` is absent.
 */
import { basename } from "node:path";
import { ConfigError } from "../core/errors.js";
import { textTokens } from "../core/text-tokens.js";
import type {
  CallOptions,
  CapabilitySet,
  Generation,
  GenParams,
  ScoredText,
  ScoreOptions,
  Target,
  TargetInfo,
  TextToken,
  TokenLogprob,
} from "../core/types.js";
import { LocalEngine } from "../local/engine.js";
import { throwIfAborted } from "../local/generate.js";
import { tokenOffsets } from "../local/offsets.js";
import type { PositionScore } from "../local/score.js";

/** Connection settings for {@link ggufTarget}. */
export interface GgufSpec {
  /** Path to a `.gguf` file. */
  readonly model: string;
  /** Tokens per sequence (default: the model's training context, at most 2048). */
  readonly contextSize?: number;
  /** Requests run at once on their own sequences (default 4). */
  readonly sequences?: number;
  /** CPU threads (default 1, see `EngineOptions.threads`). */
  readonly threads?: number;
  /** Compute Min-K%++ moments when scoring; costs a full-vocabulary pass per token (default true). */
  readonly moments?: boolean;
}

/** Alternatives per token the gguf target offers (`info.maxTopLogprobs`). */
export const GGUF_MAX_TOP_LOGPROBS = 20;

const CAPABILITIES: CapabilitySet = {
  chat: false,
  completion: true,
  tokenLogprobs: true,
  promptLogprobs: true,
  fullDistribution: true,
  multiSample: true,
  seed: true,
  logitBias: false,
};

const NOTES = {
  chat: "plain completion model run locally; no chat template is applied",
  completion: "in-process generation (node-llama-cpp)",
  tokenLogprobs: "raw-model log-probs of generated tokens, re-scored teacher-forced (pre-sampling)",
  promptLogprobs: "teacher-forced controlledEvaluate over BOS + text",
  fullDistribution: "full next-token distribution per position (moments computed on the fly)",
  multiSample: "repeated calls on independent sequences",
  seed: "node-llama-cpp seeded sampler: same seed and prompt give the same text",
  logitBias: "not implemented for the gguf target",
} as const;

function toTokenLogprob(engine: LocalEngine, t: PositionScore, offset: number): TokenLogprob {
  return {
    token: engine.vocab.text(t.token),
    bytes: [...engine.vocab.bytes(t.token)],
    logprob: t.logprob,
    offset,
    ...(t.top && { top: t.top.map((a) => ({ token: engine.vocab.text(a.token), logprob: a.logprob })) }),
  };
}

async function complete(
  engine: LocalEngine,
  prompt: string,
  p: GenParams,
  o?: CallOptions,
): Promise<Generation> {
  throwIfAborted(o?.signal);
  const topLogprobs = Math.min(p.topLogprobs ?? 0, GGUF_MAX_TOP_LOGPROBS);
  const want = p.logprobs === true || topLogprobs > 0;
  const g = await engine.generate(prompt, {
    maxTokens: p.maxTokens,
    temperature: p.temperature,
    ...(p.topP !== undefined && { topP: p.topP }),
    ...(p.topK !== undefined && { topK: p.topK }),
    ...(p.seed !== undefined && { seed: p.seed }),
    ...(p.stop !== undefined && { stop: p.stop }),
    ...(o?.signal && { signal: o.signal }),
    logprobs: want,
    topLogprobs,
  });
  const offsets = tokenOffsets(
    g.tokens.map((t) => engine.vocab.bytes(t)),
    g.text,
  );
  const tokens = g.scores?.map((s, i) => toTokenLogprob(engine, s, offsets[i] ?? g.text.length));
  return {
    text: g.text,
    ...(tokens && { tokens }),
    finishReason: g.finishReason,
    usage: { promptTokens: g.promptTokens, completionTokens: g.generatedTokens },
  };
}

async function scoreText(engine: LocalEngine, moments: boolean, text: string, o?: ScoreOptions) {
  throwIfAborted(o?.signal);
  const contextLen = o?.context?.length ?? 0;
  const scored = await engine.score(text, {
    moments: o?.moments ?? moments,
    ...(o?.context && { context: o.context }),
    ...(o?.reuseContext && { reuseContext: true }),
  });
  const tokens: TokenLogprob[] = [];
  for (const t of scored) {
    if (t.context || t.logprob === null) continue;
    tokens.push({
      token: t.text,
      bytes: t.bytes,
      logprob: t.logprob,
      offset: Math.max(0, t.offset - contextLen),
      ...(t.moments && { moments: t.moments }),
    });
  }
  const result: ScoredText = {
    text,
    tokens,
    path: "gguf",
    usage: { promptTokens: scored.length, completionTokens: 0 },
  };
  return result;
}

/** The text's tokens under the model's own tokenizer (no BOS), with their character spans. */
export function tokenizeLocal(engine: LocalEngine, text: string): TextToken[] {
  const ids = engine.model.tokenize(text);
  return textTokens(
    ids.map((t) => engine.vocab.bytes(t)),
    ids.map((t) => engine.vocab.text(t)),
    text,
    ids,
  );
}

async function connect(spec: GgufSpec): Promise<Target> {
  if (typeof spec.model !== "string" || spec.model.trim() === "") {
    throw new ConfigError(
      `Expected \`model\` to be a path to a .gguf file, got ${JSON.stringify(spec.model)}; e.g. canaries/demo/overfit.gguf.`,
    );
  }
  const engine = await LocalEngine.open({
    modelPath: spec.model,
    ...(spec.contextSize !== undefined && { contextSize: spec.contextSize }),
    ...(spec.sequences !== undefined && { sequences: spec.sequences }),
    ...(spec.threads !== undefined && { threads: spec.threads }),
  });
  const name = basename(engine.path).replace(/\.gguf$/i, "");
  const info: TargetInfo = {
    id: `gguf:${name}`,
    family: "gguf",
    model: name,
    endpoint: engine.path,
    capabilities: { ...CAPABILITIES },
    notes: { ...NOTES },
    maxTopLogprobs: GGUF_MAX_TOP_LOGPROBS,
    tokenizer: "gguf",
  };
  const moments = spec.moments ?? true;
  return {
    info,
    complete: (prompt, params, o) => complete(engine, prompt, params, o),
    scoreText: (text, o) => scoreText(engine, moments, text, o),
    tokenize: async (text, o) => {
      throwIfAborted(o?.signal);
      return { tokens: tokenizeLocal(engine, text), path: "gguf" };
    },
    close: () => engine.close(),
  } satisfies Target;
}

/**
 * The `gguf` target family: a local GGUF file, in-process.
 *
 * @example
 * const t = await ggufTarget.connect({ model: "canaries/demo/overfit.gguf" });
 * const g = await t.complete!("Kwame Foster wrote in the chat: my account recovery code is", { maxTokens: 20, temperature: 0 });
 * await t.close?.();
 */
export const ggufTarget = {
  family: "gguf",
  summary: "a local GGUF model run in-process (node-llama-cpp): completion, raw logprobs, full distribution",
  connect,
} as const;
