/**
 * Empirical p-value of `score` against a null sample (scores of known non-members, canary references,
 * perturbations): (1 + #{null ≥ score}) / (N + 1). Never 0; 1/(N + 1) at best.
 *
 * @example empiricalPValue(5, [1, 2, 5, 7]) // (1 + 2) / 5 = 0.6
 */
export function empiricalPValue(score: number, nullScores: readonly number[]): number {
  return empiricalPValues([score], nullScores)[0]!;
}

/** `empiricalPValue` for many scores at once: sorts the null once, then binary-searches. */
export function empiricalPValues(scores: readonly number[], nullScores: readonly number[]): number[] {
  const sorted = Float64Array.from(nullScores).sort();
  const n = sorted.length;
  return scores.map((s) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return (1 + (n - lo)) / (n + 1);
  });
}
