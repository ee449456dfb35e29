import type { TargetErrorKind } from "../core/errors.js";
import type { GenParams, TargetInfo } from "../core/types.js";
import type { DetectorId, EvidenceSource, FindingKind } from "../detectors/types.js";
import type { AttemptMeta } from "../probes/types.js";

/**
 * The JSONL event log: one JSON object per line, written only by the runner, append-only.
 * Documented in reports/README.md. Bump SCHEMA_VERSION on any incompatible change.
 */
export const SCHEMA_VERSION = 1;

/**
 * Which side of a comparison a target is on: the model under audit, the control that runs the same
 * probes (e.g. the base model), or the reference model an MIA or exposure calibration scores against.
 */
export type Role = "target" | "control" | "reference";

interface Base {
  readonly v: typeof SCHEMA_VERSION;
  /** ISO time the event was written. */
  readonly time: string;
}

export interface RunStartedEvent extends Base {
  readonly type: "run.started";
  readonly runId: string;
  readonly memscanVersion: string;
  readonly seed: number;
  /** The resolved plan, secrets removed: enough to resume the run. */
  readonly plan: Readonly<Record<string, unknown>>;
  /** True when this start resumes an earlier, interrupted start of the same run. */
  readonly resumed: boolean;
}

export interface TargetCapabilitiesEvent extends Base {
  readonly type: "target.capabilities";
  readonly role: Role;
  readonly info: TargetInfo;
}

export interface ProbeSkippedEvent extends Base {
  readonly type: "probe.skipped";
  readonly role: Role;
  readonly probe: string;
  readonly reason: string;
}

/** Evidence as reported: raw text only with --reveal, otherwise masked with a hash. */
export interface ReportEvidence {
  readonly start: number;
  readonly end: number;
  /** Masked excerpt (e.g. `7 0 0 ••• [9 chars]`), or the raw text when revealed. */
  readonly excerpt: string;
  /** SHA-256 of the raw matched text, so leaks can be compared across runs without storing them. */
  readonly sha256: string;
  readonly source: EvidenceSource;
  readonly distance?: number;
}

export interface VerdictEvent extends Base {
  readonly type: "verdict";
  readonly role: Role;
  readonly probe: string;
  /** The attempt's key within the probe. */
  readonly attempt: string;
  readonly detector: DetectorId;
  readonly finding: FindingKind;
  readonly score: number;
  readonly exact: boolean;
  /** What leaked: a canary id, a document id, or a PII rule. */
  readonly subject: string;
  readonly evidence: readonly ReportEvidence[];
  readonly note?: string;
}

export interface AttemptEvent extends Base {
  readonly type: "attempt";
  readonly role: Role;
  readonly probe: string;
  readonly attempt: string;
  /** Hash of (target, request, params, seed): a resumed run never re-sends a key it has an ok event for. */
  readonly journalKey: string;
  readonly mode: "chat" | "completion";
  readonly params: GenParams;
  readonly meta: AttemptMeta;
  readonly status: "ok" | "error";
  readonly tries: number;
  readonly error?: {
    readonly kind: TargetErrorKind | "budget";
    readonly message: string;
    readonly status?: number;
  };
  readonly output?: { readonly chars: number; readonly sha256: string; readonly text?: string };
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  readonly ms: number;
  readonly verdicts: number;
  /**
   * Memorization signals of a sampled output (`extraction.sampling`): `zlibBytes`, and with generated-token
   * log-probs `perplexity` and `zlibRatio`, and `referenceRatio` when the control scored the text.
   */
  readonly signals?: {
    readonly perplexity?: number;
    readonly zlibBytes: number;
    readonly zlibRatio?: number;
    readonly referenceRatio?: number;
  };
}

/**
 * One member or non-member text scored by a membership-inference run (per-record scores are kept so
 * metrics can be recomputed and histograms drawn). Written when the record's scoring finished; the
 * event is its commit marker for resume.
 */
export interface MiaScoreEvent extends Base {
  readonly type: "mia.score";
  /** Stable id of the record within its file (its `id` field, else `<file>:<line>`). */
  readonly record: string;
  readonly label: "member" | "non-member";
  /** SHA-256 of the text (the text itself is never written). */
  readonly sha256: string;
  /** Scoring path, e.g. `completions-echo`, `vllm-prompt-logprobs`, `tgi-prefill`, `gguf`, `teacher-forced-topk`, `samia`. */
  readonly path: string;
  /** Tokens scored (first token excluded). */
  readonly tokens: number;
  /** Requests this record cost on each role (target, reference). */
  readonly requests: number;
  /** Attack id -> score (higher = more likely a member), null when the attack could not score it. */
  readonly scores: Readonly<Record<string, number | null>>;
  /** Hash of (target, record, scoring settings, seed): a resumed run never re-scores it. */
  readonly journalKey: string;
  /** Attacks whose score here rests on an approximation (Min-K%++ from top-k). */
  readonly approximate?: readonly string[];
  /** Requests and tokens spent per role (budgets hold across resumes). */
  readonly usage?: {
    readonly target: { readonly requests: number; readonly tokens: number };
    readonly reference?: { readonly requests: number; readonly tokens: number };
  };
}

/** One attack's metrics over all scored members and non-members. */
export interface MiaResultEvent extends Base {
  readonly type: "mia.result";
  readonly attack: string;
  readonly path: string;
  /** True when the attack rests on an approximation (e.g. Min-K%++ from top-k only). */
  readonly approximate: boolean;
  readonly members: number;
  readonly nonMembers: number;
  readonly auc: number;
  /** Bootstrap 95% interval of the AUC. */
  readonly aucLow: number;
  readonly aucHigh: number;
  /** TPR at 1% / 0.1% FPR; null when refused (too few non-members, about 10/alpha). */
  readonly tprAt1: number | null;
  readonly tprAt01: number | null;
  readonly balancedAccuracy: number;
  /** ROC points [fpr, tpr], ascending fpr, thinned to at most a few hundred. */
  readonly roc: readonly (readonly [number, number])[];
}

/** One canary's exposure (Secret Sharer), by rank among reference secrets or, without logprobs, by emission. */
export interface CanaryExposureEvent extends Base {
  readonly type: "canary.exposure";
  readonly canaryId: string;
  readonly insertCount: number;
  /** Never planted: what an unplanted secret scores. */
  readonly control: boolean;
  /** `rank`: scored against reference secrets; `generation`: emission rate from greedy + sampled outputs. */
  readonly method: "rank" | "generation";
  /** log2 of the randomness-space size (the exposure ceiling of a full ranking). */
  readonly spaceBits: number | null;
  /** Reference secrets scored (rank method). */
  readonly references: number;
  /** 1-based rank of the secret among itself + references (rank method). */
  readonly rank: number | null;
  readonly exposureInterpolated: number | null;
  readonly exposureExtrapolated: number | null;
  /** Generation method: samples drawn, exact emissions, rate and its upper confidence bound. */
  readonly emission?: {
    readonly samples: number;
    readonly hits: number;
    readonly rate: number;
    readonly upper: number;
    /** Whether the greedy output (not counted in `samples`) contained the secret. */
    readonly greedy?: boolean;
  };
  /** Which target was measured (absent: `target`). */
  readonly role?: Role;
  /** Hash of (target, canary, method, settings, seed): a resumed run never re-measures it (unless `error`). */
  readonly journalKey?: string;
  /** Unit of the perplexities below: total negative log-likelihood of the candidate's tokens, in nats. */
  readonly unit?: "total-nll-nats" | "mean-nll-nats";
  readonly secretPerplexity?: number;
  /** Every reference's perplexity (random, never-planted secrets), so exposure can be recomputed offline. */
  readonly referencePerplexities?: readonly number[];
  /** −log2 CDF under the fit before the cap at `spaceBits` (may be hundreds of bits). */
  readonly exposureExtrapolatedRaw?: number | null;
  /** The skew-normal fitted to the reference perplexities. */
  readonly fit?: { readonly shape: number; readonly loc: number; readonly scale: number };
  /** Why `exposureExtrapolated` is null (references could not be fitted). */
  readonly extrapolationError?: string;
  /** The measurement failed (after retries); exposures are null and a resume measures it again. */
  readonly error?: string;
  /** Requests and tokens this canary cost. */
  readonly requests?: number;
  readonly tokens?: number;
}

export interface RunFinishedEvent extends Base {
  readonly type: "run.finished";
  readonly status: "completed" | "interrupted" | "failed";
  readonly reason?: string;
}

export type ReportEvent =
  | RunStartedEvent
  | TargetCapabilitiesEvent
  | ProbeSkippedEvent
  | VerdictEvent
  | AttemptEvent
  | MiaScoreEvent
  | MiaResultEvent
  | CanaryExposureEvent
  | RunFinishedEvent;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Build an event with the common fields filled in. */
export function event<E extends ReportEvent>(body: DistributiveOmit<E, "v" | "time">): E {
  return { v: SCHEMA_VERSION, time: new Date().toISOString(), ...body } as unknown as E;
}
