import type { Canary, Document } from "../core/data.js";
import type { Rng } from "../core/rng.js";
import type { Capability, ChatMessage, GenParams, TargetInfo, Tokenized } from "../core/types.js";
import type { DetectorId } from "../detectors/types.js";

/** What one attempt sends: a chat conversation or a raw completion prompt. */
export type AttemptRequest =
  | { readonly kind: "chat"; readonly messages: readonly ChatMessage[] }
  | { readonly kind: "completion"; readonly prompt: string };

/**
 * The typed hand-off from a probe to its detectors: what the attempt was trying to draw out.
 * Discriminated by `kind`; never a string-keyed bag.
 */
export type AttemptMeta =
  | {
      readonly kind: "repeat";
      readonly word: string;
      readonly template: string;
      readonly repeats: number;
      /** Tokens of the word (as written after a space) under the target's tokenizer, when it has one. */
      readonly wordTokens?: number;
    }
  | {
      readonly kind: "canary";
      /** The canary whose prefix was sent (a hit is attributed by content, not by this). */
      readonly canaryId: string;
      readonly sample: number;
      /** Copies of the prompted canary in the training data (0 for a control), from the manifest. */
      readonly insertCount?: number;
      readonly control?: boolean;
      readonly via?: Via;
    }
  | {
      readonly kind: "prefix";
      readonly docId: string;
      /** Prefix length in `unit`s: target tokens, characters, or (older runs) whitespace words. */
      readonly prefixLength: number;
      readonly unit: "tokens" | "chars" | "words";
      /** The true continuation: the exact text after the prompt, leading whitespace included. */
      readonly suffix: string;
      /** End offset (in `suffix`) of each of its target tokens, when split by the target's tokenizer. */
      readonly suffixTokenEnds?: readonly number[];
      /** Tokenizer path used for the split (`gguf`, `llama.cpp /tokenize`, ...), when `unit` is `tokens`. */
      readonly tokenizer?: string;
      /** The document set the document came from. */
      readonly source?: string;
      readonly via?: Via;
    }
  | {
      readonly kind: "attribute";
      readonly docId: string;
      readonly field: string;
      readonly value: string;
      readonly source?: string;
      readonly via?: Via;
    }
  | { readonly kind: "sampling"; readonly prompt: string; readonly sample: number };

/**
 * How a continuation was asked for: raw completion, a chat request with a "continue verbatim" framing, or
 * a chat request whose final assistant message is the text to continue (assistant prefill).
 */
export type Via = "completion" | "chat" | "chat-prefill";

export interface AttemptSpec {
  /** Unique within the probe for this run; part of the journal key. */
  readonly key: string;
  readonly request: AttemptRequest;
  /** Per-attempt generation parameters; merged over the probe defaults, never stored on the target. */
  readonly params: GenParams;
  readonly meta: AttemptMeta;
}

export interface ProbeContext {
  readonly target: TargetInfo;
  /** Seeded stream for this probe on this target. */
  readonly rng: Rng;
  readonly documents: readonly Document[];
  readonly canaries: readonly Canary[];
  /**
   * The texts the probe's `tokenize` asked for, split by the target's own tokenizer (text → tokens); absent
   * when the target has no tokenizer. A text missing from the map could not be tokenized.
   */
  readonly tokens?: ReadonlyMap<string, Tokenized>;
}

/** A capability, or a list of which any one will do. */
export type Requirement = Capability | readonly Capability[];

export interface Probe<P = unknown> {
  /** `family.variant`, kebab-case: `divergence.repeat-word`. */
  readonly id: string;
  readonly summary: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly requires: readonly Requirement[];
  readonly detectors: readonly DetectorId[];
  /** What the probe needs from the user, beyond the target (for a skip reason when absent). */
  readonly needs?: readonly ("documents" | "canaries")[];
  readonly defaults: P;
  /** Validate user-supplied params (merged over defaults); throws ConfigError. */
  parseParams(input: unknown): P;
  /**
   * Texts to split with the target's tokenizer before `attempts` runs (the runner does it when the target
   * has `tokenize`, and passes the results in `ctx.tokens`). Must be deterministic under `ctx.rng`.
   */
  tokenize?(params: P, ctx: ProbeContext): Iterable<string>;
  attempts(params: P, ctx: ProbeContext): Iterable<AttemptSpec>;
}

/** Why a probe cannot run on a target, or null when it can. */
export function unmetRequirement(
  probe: Pick<Probe, "requires">,
  caps: Readonly<Record<Capability, boolean>>,
): string | null {
  for (const req of probe.requires) {
    const options = typeof req === "string" ? [req] : req;
    if (!options.some((c) => caps[c])) return `needs ${options.join(" or ")}`;
  }
  return null;
}
