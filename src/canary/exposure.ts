import { skewNormalLogCdf } from "./skew-normal.js";
import { fitSkewNormal, type SkewNormalFit } from "./skew-normal-fit.js";

/**
 * Canary exposure (Carlini et al. 2019, "The Secret Sharer"), estimated the way tf-privacy's
 * `secret_sharer/exposures.py` does.
 *
 * **Unit.** A "perplexity" here is the secret's mean per-token negative log-likelihood in nats
 * (−mean ln p over the secret's scored tokens), as the tf-privacy notebook passes it. Lower means the
 * model finds it more likely. Any unit that is monotone in the total log-probability gives the same
 * ranking provided the secret and its references have the same length and format, which they must.
 */

const LN2 = Math.log(2);

function checkFinite(values: readonly number[], what: string): void {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new RangeError(`Expected ${what} to be finite numbers, got ${values[bad]} at index ${bad}`);
}

/** Interpolated exposure of one secret against its references. */
export interface InterpolatedExposure {
  /** 1 + #(references with perplexity ≤ the secret's). */
  readonly rank: number;
  /** log₂ N − log₂ rank, in bits. */
  readonly exposure: number;
  /** log₂ N: the most this estimator can show. */
  readonly ceiling: number;
}

/**
 * Exposure by interpolation (tf-privacy `compute_exposure_interpolation`, current version):
 * rank = 1 + #(references whose perplexity is ≤ the secret's) — ties count against the secret, since
 * tf-privacy sorts (perplexity, −1) reference pairs before (perplexity, i ≥ 0) secret pairs — and
 * exposure = log₂ N − log₂ rank. It saturates at log₂ N (rank 1: the secret beats every reference) and
 * is log₂ N − log₂(N + 1), just below 0, for a secret no better than any reference. Secrets are ranked
 * against the references only, never against each other.
 *
 * @example interpolatedExposure(1.0, [2, 3, 4, 5]) // { rank: 1, exposure: 2, ceiling: 2 }
 * @throws RangeError on an empty reference set or a non-finite value.
 */
export function interpolatedExposure(secret: number, references: readonly number[]): InterpolatedExposure {
  if (references.length === 0) throw new RangeError("Expected at least one reference perplexity, got none");
  checkFinite([secret], "the secret's perplexity");
  checkFinite(references, "reference perplexities");
  let atOrBelow = 0;
  for (const r of references) if (r <= secret) atOrBelow++;
  const rank = 1 + atOrBelow;
  const ceiling = Math.log2(references.length);
  return { rank, exposure: ceiling - Math.log2(rank), ceiling };
}

/** Extrapolated exposure of one secret and the skew-normal it was read from. */
export interface ExtrapolatedExposure {
  /** −log₂ CDF(secret) under the fitted skew-normal, in bits (≥ 0, finite even for 100+ bits). */
  readonly exposure: number;
  readonly fit: SkewNormalFit;
}

/**
 * Exposure by extrapolation (tf-privacy `compute_exposure_extrapolation`): fit a skew-normal to the
 * references' perplexities by maximum likelihood and return −log₂ CDF(secret's perplexity), computed
 * in log space so deep tails stay finite. Unlike interpolation it can exceed log₂ N — but only as far
 * as the fitted tail says. Pass a `fit` to reuse one fit for many secrets of the same format.
 *
 * @example extrapolatedExposure(0.2, references).exposure // e.g. 41.7
 * @throws RangeError when the references cannot be fitted (fewer than 3, no spread, non-finite).
 */
export function extrapolatedExposure(
  secret: number,
  references: readonly number[],
  fit: SkewNormalFit = fitSkewNormal(references),
): ExtrapolatedExposure {
  checkFinite([secret], "the secret's perplexity");
  const exposure = Math.max(0, -skewNormalLogCdf(secret, fit) / LN2);
  return { exposure, fit };
}

/**
 * The perplexity unit used throughout: mean negative natural-log probability of the scored tokens.
 *
 * @example meanNll([-0.1, -2.3]) // 1.2
 * @throws RangeError on an empty list or a non-finite logprob (censored tokens must be resolved first).
 */
export function meanNll(logprobs: readonly number[]): number {
  if (logprobs.length === 0) throw new RangeError("Expected at least one token logprob, got none");
  checkFinite(logprobs, "token logprobs");
  return -logprobs.reduce((s, v) => s + v, 0) / logprobs.length;
}
