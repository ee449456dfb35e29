/**
 * The seams of memscan: every stage talks to the next through these types only.
 * See ../../README.md and the design notes for the flow:
 * config -> targets -> probes -> scheduler -> target call -> detectors -> verdicts -> events -> reports.
 */
import type { RateLimitInfo } from "./rate-limit-headers.js";

/** What an endpoint was found (by cheap calls at connect time) to support. */
export const CAPABILITIES = [
  "chat",
  "completion",
  "tokenLogprobs",
  "promptLogprobs",
  "fullDistribution",
  "multiSample",
  "seed",
  "logitBias",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Recorded result of capability probing: each capability, whether present, and a short note why. */
export type CapabilitySet = Record<Capability, boolean>;
export type CapabilityNotes = Partial<Record<Capability, string>>;

export type TargetFamily = "openai" | "hf" | "gguf";

export interface TargetInfo {
  /** Stable id such as `openai:gpt-4o-mini` or `gguf:overfit`. */
  readonly id: string;
  readonly family: TargetFamily;
  readonly model: string;
  /** Base URL or model path; never contains a key. */
  readonly endpoint: string;
  readonly capabilities: CapabilitySet;
  /** Why each capability was judged present or absent (status codes, errors). */
  readonly notes: CapabilityNotes;
  /** Largest accepted `top_logprobs` / `top_n_tokens` found while probing (0 when none). */
  readonly maxTopLogprobs: number;
  /** How `tokenize` works when the target has it (`gguf`, `llama.cpp /tokenize`, `vllm /tokenize`). */
  readonly tokenizer?: string;
  /**
   * Set when the chat endpoint continues a final assistant message (assistant prefill), with how it is
   * asked for (e.g. `continue_final_message`); absent when not found.
   */
  readonly chatPrefill?: string;
}

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** Generation parameters for one call. Per-attempt; never stored on a target. */
export interface GenParams {
  readonly maxTokens: number;
  /** 0 means greedy. */
  readonly temperature: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly seed?: number;
  /** Ask for this many alternatives per generated token (requires `tokenLogprobs`). 0 = logprob of the chosen token only. */
  readonly topLogprobs?: number;
  /** Request generated-token logprobs at all. */
  readonly logprobs?: boolean;
  readonly stop?: readonly string[];
}

export const DEFAULT_GEN_PARAMS: GenParams = { maxTokens: 64, temperature: 0 };

export interface TopLogprob {
  readonly token: string;
  readonly logprob: number;
}

/**
 * A token and its log-probability, normalised from every provider's shape at the adapter boundary.
 * `logprob: null` means censored: the provider did not give a real value (first token, OpenAI -9999 floor,
 * token absent from a top-k list).
 */
export interface TokenLogprob {
  readonly token: string;
  readonly bytes?: readonly number[];
  readonly logprob: number | null;
  /**
   * With `logprob: null` because the token was not in a top-k list (the teacher-forced fallback): an upper
   * bound on its log-probability, min(smallest listed logprob, log of the unlisted mass). MIA attacks use
   * it in place of the missing value; dropping such tokens would drop exactly a non-member's hardest ones.
   */
  readonly bound?: number;
  /** Character offset of the token in the scored/generated text, when known. */
  readonly offset?: number;
  readonly top?: readonly TopLogprob[];
  /**
   * Mean and standard deviation of log p over the full next-token distribution at this position
   * (Min-K%++ needs them); only when the target has `fullDistribution`.
   */
  readonly moments?: { readonly mean: number; readonly std: number };
}

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface Generation {
  readonly text: string;
  /** What the provider's `x-ratelimit-*` headers said about the remaining allowance, when it sent them. */
  readonly rateLimit?: RateLimitInfo;
  /** Generated-token logprobs, when requested and available. */
  readonly tokens?: readonly TokenLogprob[];
  readonly finishReason?: string;
  readonly usage: Usage;
}

/** Teacher-forced log-probabilities of a given text (first token excluded: it has none). */
export interface ScoredText {
  readonly text: string;
  readonly tokens: readonly TokenLogprob[];
  /** Which path produced the scores, e.g. `completions-echo`, `vllm-prompt-logprobs`, `tgi-prefill`, `gguf`. */
  readonly path: string;
  readonly usage: Usage;
}

/**
 * One token of a text with the UTF-16 span `[start, end)` it covers. A token that only completes a
 * character begun by the previous token (byte fallback) has an empty span at that character.
 */
export interface TextToken {
  readonly id?: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A text split by the target's own tokenizer (no special tokens such as BOS). */
export interface Tokenized {
  readonly tokens: readonly TextToken[];
  /** Which tokenizer path produced it (`gguf`, `llama.cpp /tokenize`, `vllm /tokenize`). */
  readonly path: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface ScoreOptions extends CallOptions {
  /** Conditioning text that is scored as context only (its tokens are not returned). */
  readonly context?: string;
  /**
   * Hint: many calls will share this `context`; a target that can keeps its evaluated state (KV cache)
   * and reuses it (the gguf target does; HTTP targets ignore it and rely on the server's prompt cache).
   * Scores equal fresh scoring up to floating-point rounding.
   */
  readonly reuseContext?: boolean;
  /** Hint: compute per-token `moments` (Min-K%++) when the target can; `false` skips that cost. */
  readonly moments?: boolean;
  /**
   * Alternatives per scored token (`top`), where the path returns them (completions echo); clamped to what
   * the server accepts. 0 or absent: the actual token's logprob only.
   */
  readonly topLogprobs?: number;
}

/**
 * A connected endpoint. Methods are present only when the matching capability was found;
 * narrow with `supports(target, cap)`.
 */
export interface Target {
  readonly info: TargetInfo;
  chat?(messages: readonly ChatMessage[], params: GenParams, opts?: CallOptions): Promise<Generation>;
  complete?(prompt: string, params: GenParams, opts?: CallOptions): Promise<Generation>;
  scoreText?(text: string, opts?: ScoreOptions): Promise<ScoredText>;
  /** The target's own tokenizer, when it exposes one (`info.tokenizer` says how). */
  tokenize?(text: string, opts?: CallOptions): Promise<Tokenized>;
  close?(): Promise<void>;
}

export type ChatTarget = Target & Required<Pick<Target, "chat">>;
export type CompletionTarget = Target & Required<Pick<Target, "complete">>;
export type ScoringTarget = Target & Required<Pick<Target, "scoreText">>;

export function supports(target: Target, cap: "chat"): target is ChatTarget;
export function supports(target: Target, cap: "completion"): target is CompletionTarget;
export function supports(target: Target, cap: "promptLogprobs"): target is ScoringTarget;
export function supports(target: Target, cap: Capability): boolean;
export function supports(target: Target, cap: Capability): boolean {
  const has = target.info.capabilities[cap];
  if (cap === "chat") return has && typeof target.chat === "function";
  if (cap === "completion") return has && typeof target.complete === "function";
  if (cap === "promptLogprobs") return has && typeof target.scoreText === "function";
  return has;
}

export function emptyCapabilities(): CapabilitySet {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, false])) as CapabilitySet;
}
