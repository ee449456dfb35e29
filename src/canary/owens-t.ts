import { normalSf } from "./normal.js";
import { adaptiveIntegrate } from "./quadrature.js";

/**
 * Owen's T function T(h, a) = 1/(2π)·∫₀^a exp(−h²(1+x²)/2)/(1+x²) dx.
 *
 * For |a| ≤ 1 the integral is taken directly by adaptive Gauss–Legendre quadrature (the integrand is
 * smooth and bounded there); for |a| > 1 the reflection identity (h ≥ 0)
 * T(h, a) = ½Q(h) + ½Q(ah) − Q(h)·Q(ah) − T(ah, 1/a), with Q = 1 − Φ, brings a back into (0, 1).
 * Symmetries: T(−h, a) = T(h, a), T(h, −a) = −T(h, a). Absolute error ~1e-16.
 *
 * @example owensT(0, 1) // 0.125 (= atan(1)/(2π))
 */
export function owensT(h: number, a: number): number {
  if (Number.isNaN(h) || Number.isNaN(a)) return Number.NaN;
  if (a < 0) return -owensT(h, -a);
  if (a === 0) return 0;
  const hh = Math.abs(h);
  if (hh === 0) return Math.atan(a) / (2 * Math.PI);
  if (a === Number.POSITIVE_INFINITY) return 0.5 * normalSf(hh);
  if (a <= 1) return owensTIntegral(hh, a);
  const ah = a * hh;
  const qh = normalSf(hh);
  const qah = normalSf(ah);
  return 0.5 * qh + 0.5 * qah - qh * qah - owensTIntegral(ah, 1 / a);
}

function owensTIntegral(h: number, a: number): number {
  const h2 = 0.5 * h * h;
  const f = (x: number): number => Math.exp(-h2 * (1 + x * x)) / (1 + x * x);
  return adaptiveIntegrate(f, 0, a, 1e-14) / (2 * Math.PI);
}
