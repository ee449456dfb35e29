import { lowestFractionMean, uncensoredLogprobs } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";

/** Default fraction of lowest-scoring tokens averaged by Min-K% and Min-K%++ (Shi et al. use 20%). */
export const DEFAULT_MIN_K = 0.2;

/** Throw a RangeError unless `k` is in (0, 1]. */
export function checkK(k: number): void {
  if (!(k > 0 && k <= 1))
    throw new RangeError(`Expected k to be a fraction in (0, 1], got ${k}; use e.g. 0.2`);
}

/**
 * Min-K% Prob (Shi et al., ICLR 2024): the mean of the lowest max(1, ⌊k·n⌋) token log-probabilities, n the
 * number of uncensored tokens. Id is `min-k` for the default k = 0.2, else `min-k-<percent>` (e.g. `min-k-10`).
 *
 * @example createMinK(0.1).score({ target })
 */
export function createMinK(k: number = DEFAULT_MIN_K): MiaAttack {
  checkK(k);
  return defineAttack({
    id: k === DEFAULT_MIN_K ? "min-k" : `min-k-${Math.round(k * 100)}`,
    summary: `Mean of the lowest ${Math.round(k * 100)}% token log-probabilities (Min-K% Prob).`,
    needs: [],
    compute: ({ target }) => lowestFractionMean(uncensoredLogprobs(target), k),
  });
}

/** Min-K% with k = 0.2. */
export const minKAttack: MiaAttack = createMinK();
