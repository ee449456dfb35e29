import type { Rng } from "../core/rng.js";
import { balancedAccuracySorted } from "./balanced-accuracy.js";
import { bootstrapInterval, type Interval } from "./bootstrap.js";
import { aucSorted, sortScores } from "./roc.js";
import { type Estimate, type TprAtFprOptions, tprAtFprSorted, tprAtFprStrictSorted } from "./tpr-at-fpr.js";

/** Options for `evaluateScores`. */
export interface EvaluateOptions {
  /** FPRs at which to report TPR. Default [0.01, 0.001]. */
  readonly alphas?: readonly number[];
  /** Bootstrap resamples for the intervals; 0 skips them. Default 1000. */
  readonly resamples?: number;
  /** Refusal factor for TPR@α (non-members ≥ ceil(factor/α)). Default 10. */
  readonly minNonMembersFactor?: number;
}

/** TPR at one FPR: interpolated and strict values (or refusals) and a bootstrap interval of the interpolated one. */
export interface TprReport {
  readonly alpha: number;
  readonly tpr: Estimate;
  readonly tprStrict: Estimate;
  readonly interval: Interval | null;
}

/** Every headline metric of one attack over labelled scores. */
export interface ScoreReport {
  readonly members: number;
  readonly nonMembers: number;
  /** Texts the attack could not score (null), left out of every metric. */
  readonly skipped: number;
  readonly auc: number;
  readonly aucInterval: Interval | null;
  readonly balancedAccuracy: number;
  readonly balancedAccuracyInterval: Interval | null;
  readonly tprAtFpr: readonly TprReport[];
}

/**
 * AUC, balanced accuracy and TPR at each FPR in `alphas`, with stratified bootstrap 95% intervals.
 * Null scores (texts an attack could not score) are dropped and counted in `skipped`.
 *
 * @example evaluateScores(memberScores, nonMemberScores, new Rng(0)).auc // 0.6993
 */
export function evaluateScores(
  members: readonly (number | null)[],
  nonMembers: readonly (number | null)[],
  rng: Rng,
  options: EvaluateOptions = {},
): ScoreReport {
  const m = members.filter((s): s is number => s !== null);
  const n = nonMembers.filter((s): s is number => s !== null);
  const sorted = sortScores(m, n);
  const resamples = options.resamples ?? 1000;
  const opts = { minNonMembersFactor: options.minNonMembersFactor ?? 10 };
  const ci = (stat: (s: typeof sorted) => number | null, label: string): Interval | null =>
    resamples > 0 ? bootstrapInterval(m, n, stat, rng.fork(label), { resamples }) : null;
  const tprAtFpr = (options.alphas ?? [0.01, 0.001]).map((alpha): TprReport => {
    const tpr = tprAtFprSorted(sorted, alpha, opts);
    return {
      alpha,
      tpr,
      tprStrict: tprAtFprStrictSorted(sorted, alpha, opts),
      interval: tpr.value === null ? null : ci((s) => tprAtFprSorted(s, alpha, opts).value, `tpr@${alpha}`),
    };
  });
  return {
    members: m.length,
    nonMembers: n.length,
    skipped: members.length - m.length + nonMembers.length - n.length,
    auc: aucSorted(sorted),
    aucInterval: ci(aucSorted, "auc"),
    balancedAccuracy: balancedAccuracySorted(sorted),
    balancedAccuracyInterval: ci(balancedAccuracySorted, "balanced-accuracy"),
    tprAtFpr,
  };
}

export { balancedAccuracySorted } from "./balanced-accuracy.js";
export { bootstrapInterval, quantile } from "./bootstrap.js";
export { empiricalPValue, empiricalPValues } from "./p-value.js";
export { aucSorted, rocAuc, rocCurve, rocCurveSorted, sortScores } from "./roc.js";
export type { Estimate, TprAtFprOptions } from "./tpr-at-fpr.js";
export {
  interpolatedTpr,
  minNonMembers,
  strictTpr,
  tprAtFprSorted,
  tprAtFprStrictSorted,
} from "./tpr-at-fpr.js";

/** Balanced accuracy of labelled scores: max over τ of ½(TPR + 1 − FPR). */
export function balancedAccuracy(members: readonly number[], nonMembers: readonly number[]): number {
  return balancedAccuracySorted(sortScores(members, nonMembers));
}

/** TPR at FPR α (interpolated on the ROC curve), or null with a reason when non-members < ceil(10/α). */
export function tprAtFpr(
  members: readonly number[],
  nonMembers: readonly number[],
  alpha: number,
  options: TprAtFprOptions = {},
): Estimate {
  return tprAtFprSorted(sortScores(members, nonMembers), alpha, options);
}

/** Max TPR over thresholds with FPR ≤ α, refused like `tprAtFpr`. */
export function tprAtFprStrict(
  members: readonly number[],
  nonMembers: readonly number[],
  alpha: number,
  options: TprAtFprOptions = {},
): Estimate {
  return tprAtFprStrictSorted(sortScores(members, nonMembers), alpha, options);
}
