import type { Canary, Document } from "../core/data.js";
import type { Rng } from "../core/rng.js";
import type { Capability, ChatMessage, GenParams, TargetInfo } from "../core/types.js";
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
  | { readonly kind: "repeat"; readonly word: string; readonly template: string; readonly repeats: number }
  | { readonly kind: "canary"; readonly canaryId: string; readonly sample: number }
  | {
      readonly kind: "prefix";
      readonly docId: string;
      /** Prefix length as asked for, in `unit`s (`words` = whitespace-delimited words). */
      readonly prefixLength: number;
      readonly unit: "tokens" | "chars" | "words";
      readonly suffix: string;
    }
  | { readonly kind: "attribute"; readonly docId: string; readonly field: string; readonly value: string }
  | { readonly kind: "sampling"; readonly prompt: string; readonly sample: number };

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
