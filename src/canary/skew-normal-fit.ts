import { nelderMead } from "./nelder-mead.js";
import { logNormalCdf, logNormalPdf } from "./normal.js";
import type { SkewNormal } from "./skew-normal.js";

/** A maximum-likelihood skew-normal fit and how it went. */
export interface SkewNormalFit extends SkewNormal {
  /** Mean log-likelihood per sample at the optimum. */
  readonly meanLogLik: number;
  readonly converged: boolean;
}

/** |α| beyond this is treated as a half-normal boundary: the likelihood is flat there and α runs away. */
export const MAX_SHAPE = 100;

/** Largest skewness a skew-normal can have (≈ 0.9953); the moment start is clipped just inside it. */
const MAX_SKEW = 0.99;

/**
 * Method-of-moments start for a skew-normal fit: match mean, variance and (clipped) skewness.
 * Returns the parameters of the standardised sample (mean 0, sd 1).
 */
export function momentStart(skewness: number): SkewNormal {
  const g = Math.min(MAX_SKEW, Math.abs(skewness));
  const g23 = g ** (2 / 3);
  const absDelta = Math.min(0.99, Math.sqrt((Math.PI / 2) * (g23 / (g23 + ((4 - Math.PI) / 2) ** (2 / 3)))));
  const delta = Math.sign(skewness) * absDelta;
  const shape = delta / Math.sqrt(1 - delta * delta);
  const scale = 1 / Math.sqrt(1 - (2 * delta * delta) / Math.PI);
  const loc = -scale * delta * Math.sqrt(2 / Math.PI);
  return { shape, loc, scale };
}

/**
 * Fit SN(α, ξ, ω) to a sample by maximum likelihood, as `scipy.stats.skewnorm.fit` does: the sample
 * is standardised, started at the method-of-moments estimate, and the negative log-likelihood over
 * (α, ξ, log ω) is minimised by Nelder–Mead (restarted once from its own optimum). |α| is capped at
 * {@link MAX_SHAPE}.
 *
 * @throws RangeError when there are fewer than 3 finite values or they have no spread.
 * @example fitSkewNormal(referencePerplexities) // { shape: 2.1, loc: 3.9, scale: 0.8, ... }
 */
export function fitSkewNormal(sample: readonly number[]): SkewNormalFit {
  if (sample.length < 3 || !sample.every(Number.isFinite)) {
    throw new RangeError(
      `Expected at least 3 finite values to fit a skew-normal, got ${sample.length} (${sample.filter((v) => !Number.isFinite(v)).length} not finite)`,
    );
  }
  const n = sample.length;
  const mean = sample.reduce((s, v) => s + v, 0) / n;
  const m2 = sample.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const sd = Math.sqrt(m2);
  if (!(sd > 0) || sd < 1e-12 * Math.max(1, Math.abs(mean))) {
    throw new RangeError(`Expected values with some spread to fit a skew-normal, got all equal to ${mean}`);
  }
  const z = sample.map((v) => (v - mean) / sd);
  const skew = z.reduce((s, v) => s + v ** 3, 0) / n;
  const nll = ([shape, loc, logScale]: readonly number[]): number => {
    if (Math.abs(shape!) > MAX_SHAPE || Math.abs(logScale!) > 30) return Number.POSITIVE_INFINITY;
    const scale = Math.exp(logScale!);
    let sum = 0;
    for (const v of z) {
      const t = (v - loc!) / scale;
      sum += logNormalPdf(t) + logNormalCdf(shape! * t);
    }
    return -(sum / n + Math.log(2) - logScale!);
  };
  const start = momentStart(skew);
  let best = nelderMead(nll, [start.shape, start.loc, Math.log(start.scale)], { step: [0.5, 0.2, 0.1] });
  best = nelderMead(nll, best.x, { step: [0.1, 0.05, 0.05] });
  const [shape, loc, logScale] = best.x as [number, number, number];
  return {
    shape,
    loc: mean + sd * loc,
    scale: sd * Math.exp(logScale),
    meanLogLik: -best.value - Math.log(sd),
    converged: best.converged,
  };
}
