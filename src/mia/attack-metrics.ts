import type { Rng } from "../core/rng.js";
import { type EvaluateOptions, evaluateScores, type ScoreReport } from "./metrics.js";
import { rocCurve } from "./roc.js";

/** Most ROC points kept per attack in events and reports (the curve is thinned evenly by index). */
export const MAX_ROC_POINTS = 300;

/**
 * One attack's metrics as memscan reports them (`mia.result` events, `memscan mia --json`,
 * `memscan mia metrics`). TPR values are null when refused (too few non-members, about 10/α).
 */
export interface AttackMetrics {
  readonly id: string;
  /** Scoring path the scores came from (e.g. `completions-echo`, `gguf`, `teacher-forced-topk`, `samia`, `offline`). */
  readonly path: string;
  /** True when a score rests on an approximation (e.g. Min-K%++ from top-k only). */
  readonly approximate: boolean;
  readonly members: number;
  readonly nonMembers: number;
  /** Records the attack could not score (null), left out of every metric. */
  readonly skipped: number;
  readonly auc: number;
  readonly aucLow: number | null;
  readonly aucHigh: number | null;
  readonly tprAt1: number | null;
  readonly tprAt01: number | null;
  /** Why a TPR is null, when it is. */
  readonly tprAt1Reason?: string;
  readonly tprAt01Reason?: string;
  readonly balancedAccuracy: number;
  /** ROC points [fpr, tpr], ascending fpr, at most MAX_ROC_POINTS. */
  readonly roc: readonly (readonly [number, number])[];
  /** The full report behind these numbers (intervals of every metric). */
  readonly report: ScoreReport;
}

/** Labelled scores of one attack; null where the attack could not score a record. */
export interface LabelledScores {
  readonly members: readonly (number | null)[];
  readonly nonMembers: readonly (number | null)[];
}

/**
 * AUC with its bootstrap interval, TPR at 1% and 0.1% FPR, balanced accuracy and the thinned ROC curve of
 * one attack. Null when either side has no scored record (nothing to compare).
 *
 * @example attackMetrics("loss", "gguf", false, { members, nonMembers }, new Rng(1)).auc // 0.6993
 */
export function attackMetrics(
  id: string,
  path: string,
  approximate: boolean,
  scores: LabelledScores,
  rng: Rng,
  options: EvaluateOptions = {},
): AttackMetrics | null {
  const m = scores.members.filter((s): s is number => s !== null && Number.isFinite(s));
  const n = scores.nonMembers.filter((s): s is number => s !== null && Number.isFinite(s));
  if (m.length === 0 || n.length === 0) return null;
  const report = evaluateScores(m, n, rng.fork(`metrics:${id}`), {
    alphas: [0.01, 0.001],
    ...options,
  });
  const skipped = scores.members.length - m.length + scores.nonMembers.length - n.length;
  const [at1, at01] = report.tprAtFpr;
  return {
    id,
    path,
    approximate,
    members: m.length,
    nonMembers: n.length,
    skipped,
    auc: report.auc,
    aucLow: report.aucInterval?.low ?? null,
    aucHigh: report.aucInterval?.high ?? null,
    tprAt1: at1?.tpr.value ?? null,
    tprAt01: at01?.tpr.value ?? null,
    ...(at1?.tpr.reason ? { tprAt1Reason: at1.tpr.reason } : {}),
    ...(at01?.tpr.reason ? { tprAt01Reason: at01.tpr.reason } : {}),
    balancedAccuracy: report.balancedAccuracy,
    roc: thinRoc(rocCurve(m, n).map((p) => [p.fpr, p.tpr] as const)),
    report: { ...report, skipped },
  };
}

/** Keep at most `max` points, evenly by index, always the first and the last. */
export function thinRoc<T>(points: readonly T[], max = MAX_ROC_POINTS): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}

/** What `--json` prints per attack (the contract, plus the refusal reasons). */
export function attackJson(a: AttackMetrics) {
  const { report: _r, roc: _roc, ...rest } = a;
  return rest;
}
