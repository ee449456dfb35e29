/** Generation-only canary evidence when a target gives no prompt logprobs: how often the secret comes out. */
export interface EmissionEstimate {
  /** Samples drawn from the canary's prefix. */
  readonly samples: number;
  /** Samples that contained the secret. */
  readonly emissions: number;
  /** emissions / samples. */
  readonly rate: number;
  /** One-sided upper confidence bound on the per-sample emission probability (exact binomial). */
  readonly upper: number;
  /** Confidence level of `upper` (default 0.95). */
  readonly confidence: number;
}

/**
 * Emission rate and its exact one-sided 95% upper bound (Clopper–Pearson): the p at which seeing
 * `emissions` or fewer in `samples` has probability 5%. With no emissions this is 1 − 0.05^(1/n),
 * close to the "rule of three" 3/n (0.0295 for n = 100). Not an exposure: report it as emission rate.
 *
 * @example emissionEstimate(0, 100).upper // 0.029513
 * @throws RangeError unless 0 ≤ emissions ≤ samples are integers and samples ≥ 1.
 */
export function emissionEstimate(emissions: number, samples: number, confidence = 0.95): EmissionEstimate {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Expected confidence in (0, 1), got ${confidence}`);
  }
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`Expected samples to be a positive integer, got ${samples}`);
  }
  if (!Number.isInteger(emissions) || emissions < 0 || emissions > samples) {
    throw new RangeError(`Expected emissions to be an integer in [0, ${samples}], got ${emissions}`);
  }
  const alpha = 1 - confidence;
  const rate = emissions / samples;
  let upper: number;
  if (emissions === samples) upper = 1;
  else if (emissions === 0) upper = 1 - alpha ** (1 / samples);
  else {
    let lo = rate;
    let hi = 1;
    for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
      const mid = 0.5 * (lo + hi);
      if (binomialCdf(emissions, samples, mid) > alpha) lo = mid;
      else hi = mid;
    }
    upper = 0.5 * (lo + hi);
  }
  return { samples, emissions, rate, upper, confidence };
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logC = 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + i * lp + (n - i) * lq);
  }
  return Math.min(1, sum);
}
