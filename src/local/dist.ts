/** Pure arithmetic over one next-token distribution; no model, no I/O. */

/** Summary of the full next-token distribution at one position. */
export interface DistributionStats {
  /** E[log p] = Σ p log p (natural log). */
  readonly mean: number;
  /** sqrt(Σ p (log p)² − mean²), clamped at 0 against rounding. */
  readonly std: number;
  /** 1 + the number of tokens strictly more probable than the target (vLLM's `rank`, 1 = most likely). */
  readonly rank: number;
}

/**
 * Mean and standard deviation of log p under p (what Min-K%++ normalises by) and the target token's rank,
 * in one pass over `(token, probability)` pairs; zero probabilities contribute nothing. Nothing is kept.
 * @example distributionStats([[1, 0.5], [2, 0.5]], 0.5) // => { mean: -0.693.., std: 0, rank: 1 }
 */
export function distributionStats(
  probs: Iterable<readonly [number, number]>,
  targetProb: number,
): DistributionStats {
  let mean = 0;
  let second = 0;
  let above = 0;
  for (const [, p] of probs) {
    if (p > targetProb) above++;
    if (p <= 0) continue;
    const lp = Math.log(p);
    mean += p * lp;
    second += p * lp * lp;
  }
  return { mean, std: Math.sqrt(Math.max(0, second - mean * mean)), rank: above + 1 };
}

/**
 * log p of a token from raw logits: `logit − maxLogit − ln(Σ exp(logit_j − maxLogit))`. Exact in float64 and
 * never −∞, unlike `log` of a float32 probability that underflowed to 0.
 * @example logprobFromLogits(2, 2, 1 + Math.exp(-1)) // => -0.3133 (two tokens with logits 2 and 1)
 */
export function logprobFromLogits(logit: number, maxLogit: number, totalLogitWeight: number): number {
  return logit - maxLogit - Math.log(totalLogitWeight);
}
