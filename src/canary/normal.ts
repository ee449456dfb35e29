/**
 * The standard normal distribution, accurate in the far tails: `normalCdf(-10)` is 7.62e-24 to full
 * double precision and `logNormalCdf(-40)` is finite (-804.6) where the plain CDF underflows.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(logNormalPdf(x));
}

/** log φ(x) = −x²/2 − ½·log(2π). */
export function logNormalPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/**
 * Mills ratio R(t) = Q(t)/φ(t) for t ≥ 2, by the continued fraction R(t) = 1/(t + 1/(t + 2/(t + 3/(t + …))))
 * evaluated with the modified Lentz method.
 */
function millsRatio(t: number): number {
  const tiny = 1e-300;
  let f = t;
  let c = t;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    d = t + k * d;
    d = d === 0 ? tiny : 1 / d;
    c = t + k / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** erf(y) for |y| ≤ 1.5 by the all-positive series erf(y) = 2/√π·e^(−y²)·Σ 2ⁿy^(2n+1)/(1·3·…·(2n+1)). */
function erfSeries(y: number): number {
  let term = y;
  let sum = y;
  const y2 = 2 * y * y;
  for (let n = 1; n < 200; n++) {
    term *= y2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-y * y) * sum;
}

/** Upper tail Q(x) = 1 − Φ(x), without cancellation for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/** Standard normal CDF Φ(x); relative error ~1e-15 everywhere it does not underflow. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= -2) return Math.exp(logNormalCdf(x));
  if (x >= 2) return 1 - normalCdf(-x);
  return 0.5 * (1 + erfSeries(x / Math.SQRT2));
}

/** log Φ(x), finite for any finite x (−x²/2 − log(−x) − ½·log 2π asymptotically as x → −∞). */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= -2) return logNormalPdf(x) + Math.log(millsRatio(-x));
  if (x < 2) return Math.log(normalCdf(x));
  return Math.log1p(-normalCdf(-x));
}
