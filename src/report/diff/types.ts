import type { GateResult } from "../../core/gate.js";

/** Version of `diff.json` (`memscan diff --format json`); documented in reports/README.md. */
export const DIFF_VERSION = 1;

export type ChangeStatus = "new" | "gone" | "moved" | "same";

/** A leaked subject (canary, document, PII value) as one run saw it, over all probes. */
export interface ItemState {
  /** At least one verbatim hit (else only near hits). */
  readonly exact: boolean;
  /** Attempts that drew it, over all probes. */
  readonly count: number;
  /** Smallest normalised edit distance seen. */
  readonly distance: number;
  readonly probes: readonly string[];
}

export interface ItemChange {
  readonly category: "canary" | "document" | "pii";
  readonly subject: string;
  readonly status: ChangeStatus;
  readonly old: ItemState | null;
  readonly new: ItemState | null;
  /** Canary exposure (bits) in each run, when the runs measured it. */
  readonly exposureOld?: number | null;
  readonly exposureNew?: number | null;
  /** What changed, in words: `near → exact`, `count 1 → 4`, `exposure 3.1 → 29.9 bits`. */
  readonly note: string;
}

/** A change in a rate or score, with a bootstrap 95% interval of the difference (new − old). */
export interface Delta {
  readonly old: number | null;
  readonly new: number | null;
  readonly delta: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** True when the interval came from resampling matched pairs (same attempts / same records). */
  readonly paired: boolean;
}

export interface ProbeChange extends Delta {
  readonly probe: string;
  readonly status: ChangeStatus;
  readonly attemptsOld: number;
  readonly attemptsNew: number;
}

export interface MiaChange extends Delta {
  readonly attack: string;
  readonly status: ChangeStatus;
  /** Records scored in both runs (paired by text SHA-256), or 0 when unpaired. */
  readonly pairs: number;
}

export interface MetricChange {
  readonly metric: string;
  readonly old: number | null;
  readonly new: number | null;
  readonly delta: number | null;
}

export interface RunRef {
  readonly runId: string;
  readonly target: string | null;
  readonly status: string;
}

export interface RunDiff {
  readonly diffVersion: typeof DIFF_VERSION;
  readonly old: RunRef;
  readonly new: RunRef;
  /** Changed items only (status other than `same`), by category. */
  readonly canaries: readonly ItemChange[];
  readonly documents: readonly ItemChange[];
  readonly pii: readonly ItemChange[];
  /** Items present in both runs with no change, by category. */
  readonly unchanged: Readonly<Record<"canary" | "document" | "pii", number>>;
  readonly probes: readonly ProbeChange[];
  readonly mia: readonly MiaChange[];
  readonly metrics: readonly MetricChange[];
  /** The numbers regression gates read (`new-leaks`, `auc-delta`, ...); null when not measurable. */
  readonly diffMetrics: Readonly<Record<string, number | null>>;
  readonly gates: readonly GateResult[];
  /** 1 when a regression gate failed, else 0. */
  readonly exitCode: 0 | 1;
}
