import { logNormalCdf, logNormalPdf, normalCdf, normalSf } from "./normal.js";
import { owensT } from "./owens-t.js";
import { adaptiveIntegrate } from "./quadrature.js";

/**
 * A skew-normal distribution SN(α, ξ, ω) with density (2/ω)·φ(z)·Φ(αz), z = (x − ξ)/ω; the same
 * parametrisation as `scipy.stats.skewnorm(a=α, loc=ξ, scale=ω)`. α = 0 is the normal N(ξ, ω²).
 */
export interface SkewNormal {
  /** Shape α (scipy's `a`); positive skews right. */
  readonly shape: number;
  /** Location ξ. */
  readonly loc: number;
  /** Scale ω > 0. */
  readonly scale: number;
}

const LOG2 = Math.log(2);

/** Below this CDF the direct form Φ(z) − 2T(z, α) loses relative precision; integrate in log space. */
const DIRECT_MIN = 1e-6;

/** log density at x. */
export function skewNormalLogPdf(x: number, d: SkewNormal): number {
  const z = (x - d.loc) / d.scale;
  return LOG2 - Math.log(d.scale) + logNormalPdf(z) + logNormalCdf(d.shape * z);
}

/** CDF at x: Φ(z) − 2·T(z, α) (may underflow to 0 in the far left tail; use {@link skewNormalLogCdf}). */
export function skewNormalCdf(x: number, d: SkewNormal): number {
  const direct = directCdf((x - d.loc) / d.scale, d.shape);
  return direct > DIRECT_MIN ? direct : Math.exp(skewNormalLogCdf(x, d));
}

function directCdf(z: number, shape: number): number {
  return Math.min(1, Math.max(0, normalCdf(z) - 2 * owensT(z, shape)));
}

/**
 * log CDF at x, finite and accurate (relative ~1e-12) however far into the left tail x lies.
 *
 * Where the direct form Φ(z) − 2T(z, α) is below 1e-6 it cancels badly, so the CDF is instead taken as
 * e^{f(z)}·∫₀^U e^{f(z−u) − f(z)} du with f(t) = log 2 + log φ(t) + log Φ(αt). f is concave with
 * f'' ≤ −1, so the integrand is at most e^{−u·f'(z) − u²/2} and U = −f'(z) + √(f'(z)² + 80) leaves
 * less than e^{−40} behind.
 *
 * @example skewNormalLogCdf(-3, { shape: 2, loc: 0, scale: 1 }) // ≈ −28.21144 (CDF 5.6e-13)
 */
export function skewNormalLogCdf(x: number, d: SkewNormal): number {
  const z = (x - d.loc) / d.scale;
  if (Number.isNaN(z)) return Number.NaN;
  const direct = directCdf(z, d.shape);
  if (direct > 0.5) return Math.log1p(-Math.max(0, normalSf(z) + 2 * owensT(z, d.shape)));
  if (direct > DIRECT_MIN) return Math.log(direct);
  if (z === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const a = d.shape;
  const f = (t: number): number => LOG2 + logNormalPdf(t) + logNormalCdf(a * t);
  const slope = -z + a * Math.exp(logNormalPdf(a * z) - logNormalCdf(a * z));
  const upper = -slope + Math.sqrt(slope * slope + 80);
  const fz = f(z);
  const integral = adaptiveIntegrate((u) => Math.exp(f(z - u) - fz), 0, upper, 1e-13);
  return fz + Math.log(integral);
}

/**
 * Draw from SN(α, ξ, ω) with two standard normals: δ = α/√(1+α²), X = ξ + ω(δ|U₀| + √(1−δ²)·U₁).
 */
export function skewNormalDraw(normal: () => number, d: SkewNormal): number {
  const delta = d.shape / Math.sqrt(1 + d.shape * d.shape);
  const u0 = Math.abs(normal());
  const u1 = normal();
  return d.loc + d.scale * (delta * u0 + Math.sqrt(1 - delta * delta) * u1);
}
