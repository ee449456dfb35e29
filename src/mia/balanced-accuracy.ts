import type { SortedScores } from "./roc.js";
import { rocCurveSorted } from "./roc.js";

/**
 * Balanced accuracy of the best threshold: max over τ of ½(TPR(τ) + 1 − FPR(τ)), with equal weight on
 * members and non-members whatever their counts. 0.5 at worst (the all-or-nothing thresholds).
 */
export function balancedAccuracySorted(sorted: SortedScores): number {
  let best = 0.5;
  for (const p of rocCurveSorted(sorted)) best = Math.max(best, (p.tpr + 1 - p.fpr) / 2);
  return best;
}
