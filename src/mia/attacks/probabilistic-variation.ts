import type { ScoredText } from "../../core/types.js";
import { mean, meanLoss } from "../token-stats.js";

/**
 * SPV-MIA probabilistic variation, in the official code's form and sign:
 * PV(x) = mean_n exp(−L(x̃ₙ)) − exp(−L(x)), with exp(−L) the geometric-mean token probability.
 * A member sits at a local maximum of the model's likelihood, so its neighbours score lower and PV is
 * negative: **lower PV means member** here. The attacks negate it.
 *
 * Perturbed copies with no uncensored token are skipped; null when the original or every copy has none.
 */
export function probabilisticVariation(
  original: ScoredText,
  perturbed: readonly ScoredText[],
): number | null {
  const l = meanLoss(original);
  if (l === null) return null;
  const neighbours: number[] = [];
  for (const p of perturbed) {
    const lp = meanLoss(p);
    if (lp !== null) neighbours.push(Math.exp(-lp));
  }
  const m = mean(neighbours);
  return m === null ? null : m - Math.exp(-l);
}

/** Mean loss over the perturbed copies that have an uncensored token; null when none. */
export function meanNeighbourLoss(perturbed: readonly ScoredText[]): number | null {
  const losses: number[] = [];
  for (const p of perturbed) {
    const lp = meanLoss(p);
    if (lp !== null) losses.push(lp);
  }
  return mean(losses);
}
