import type { TargetErrorKind } from "../core/errors.js";
import type { GenParams, TargetInfo } from "../core/types.js";
import type { DetectorId, EvidenceSource, FindingKind } from "../detectors/types.js";
import type { AttemptMeta } from "../probes/types.js";

/**
 * The JSONL event log: one JSON object per line, written only by the runner, append-only.
 * Documented in reports/README.md. Bump SCHEMA_VERSION on any incompatible change.
 */
export const SCHEMA_VERSION = 1;

/** Which side of a comparison a target is on. */
export type Role = "target" | "control";

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
  | RunFinishedEvent;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Build an event with the common fields filled in. */
export function event<E extends ReportEvent>(body: DistributiveOmit<E, "v" | "time">): E {
  return { v: SCHEMA_VERSION, time: new Date().toISOString(), ...body } as unknown as E;
}
