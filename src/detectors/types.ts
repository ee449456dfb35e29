import type { Canary, Document } from "../core/data.js";
import type { CorpusMatcher } from "../match/corpus-naive.js";
import type { AttemptSpec } from "../probes/types.js";

export const DETECTOR_IDS = ["canary", "prefix-continuation", "divergence", "pii", "corpus"] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export type FindingKind = "canary" | "document" | "pii" | "divergence" | "attribute";

export type EvidenceSource =
  | {
      readonly kind: "canary";
      /** The canary whose secret appears (never simply the one prompted). */
      readonly canaryId: string;
      /** Its copies in the training data and whether it is a control, from the manifest. */
      readonly insertCount?: number;
      readonly control?: boolean;
    }
  | { readonly kind: "document"; readonly docId: string; readonly offset: number }
  | {
      readonly kind: "rule";
      readonly rule: string;
      /**
       * PII only: whether the value appears in the user's documents (a leaked record) or not (the model
       * may have made it up); absent when there were no documents to check against.
       */
      readonly inData?: boolean;
    };

/**
 * One piece of evidence. `text` is the raw matched text: it stays in memory; the report layer masks it
 * (keeping a hash) unless the user passed --reveal.
 */
export interface Evidence {
  /** Span in the output, [start, end) in UTF-16 code units. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly source: EvidenceSource;
  /** Normalised edit distance in [0, 1] (0 = exact), when the match was approximate. */
  readonly distance?: number;
}

export interface Verdict {
  readonly detector: DetectorId;
  readonly finding: FindingKind;
  /** In [0, 1]; 1 = certain leak. */
  readonly score: number;
  /** True for an exact (verbatim after normalisation) hit; false for a near hit. */
  readonly exact: boolean;
  readonly evidence: readonly Evidence[];
  /** Short human note, e.g. "diverged after 212 repetitions". Never contains leaked text. */
  readonly note?: string;
}

export interface DetectorContext {
  readonly canaries: readonly Canary[];
  readonly documents: readonly Document[];
  /** A corpus index matcher (scan --index); the corpus detector uses it instead of `documents`. */
  readonly corpus?: CorpusMatcher;
  /** The text that was sent (prompt or concatenated messages): PII copied from it does not count. */
  readonly promptText: string;
}

export interface Detector {
  readonly id: DetectorId;
  readonly summary: string;
  /** Never throws on odd input; returns null when there is nothing to report. */
  detect(output: string, attempt: AttemptSpec, ctx: DetectorContext): Verdict | null;
}
