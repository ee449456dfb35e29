import type { RocPoint, SortedScores } from "./roc.js";
import { rocCurveSorted } from "./roc.js";

/** A metric value, or null with the reason it was refused. */
export type Estimate =
  | { readonly value: number; readonly reason?: undefined }
  | { readonly value: null; readonly reason: string };

/** Options for TPR at a fixed FPR. */
export interface TprAtFprOptions {
  /** Refuse unless non-members ≥ ceil(factor/α). Default 10 (about 10 false positives at the threshold). */
  readonly minNonMembersFactor?: number;
}

/** Non-members needed to estimate TPR at FPR `alpha`: ceil(factor/α). */
export function minNonMembers(alpha: number, factor = 10): number {
  return Math.ceil(factor / alpha - 1e-9);
}

/**
 * TPR at FPR = α by linear interpolation on the ROC curve: the highest TPR among points with FPR exactly α,
 * else the straight line between the last point below α and the first above it. Between two thresholds
 * this is what randomising between them achieves, so it is attainable.
 */
export function interpolatedTpr(curve: readonly RocPoint[], alpha: number): number {
  let best = -1;
  for (const p of curve) if (p.fpr === alpha) best = Math.max(best, p.tpr);
  if (best >= 0) return best;
  for (let k = 1; k < curve.length; k++) {
    const a = curve[k - 1]!;
    const b = curve[k]!;
    if (a.fpr < alpha && b.fpr > alpha) return a.tpr + ((b.tpr - a.tpr) * (alpha - a.fpr)) / (b.fpr - a.fpr);
  }
  return 1;
}

/** The highest TPR of any threshold whose FPR is at most α (no interpolation; never above the interpolated value). */
export function strictTpr(curve: readonly RocPoint[], alpha: number): number {
  let best = 0;
  for (const p of curve) if (p.fpr <= alpha) best = Math.max(best, p.tpr);
  return best;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`Expected alpha to be an FPR in (0, 1), got ${alpha}; use e.g. 0.01`);
}

function guarded(
  sorted: SortedScores,
  alpha: number,
  options: TprAtFprOptions,
  read: (curve: readonly RocPoint[], alpha: number) => number,
): Estimate {
  checkAlpha(alpha);
  const need = minNonMembers(alpha, options.minNonMembersFactor ?? 10);
  const have = sorted.nonMembers.length;
  if (have < need)
    return {
      value: null,
      reason: `TPR@${alpha * 100}%FPR needs at least ${need} non-members, got ${have}; add non-members or report a larger FPR`,
    };
  return { value: read(rocCurveSorted(sorted), alpha) };
}

/** TPR at FPR α (interpolated), refused (value null, with a reason) when there are too few non-members. */
export function tprAtFprSorted(sorted: SortedScores, alpha: number, options: TprAtFprOptions = {}): Estimate {
  return guarded(sorted, alpha, options, interpolatedTpr);
}

/** Max TPR with FPR ≤ α, refused like `tprAtFprSorted`. */
export function tprAtFprStrictSorted(
  sorted: SortedScores,
  alpha: number,
  options: TprAtFprOptions = {},
): Estimate {
  return guarded(sorted, alpha, options, strictTpr);
}
