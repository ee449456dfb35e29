/** Numerical integration: Gauss–Legendre rules and adaptive bisection on top of them. */

/** Nodes and weights of an n-point Gauss–Legendre rule on [−1, 1]. */
export interface QuadratureRule {
  readonly x: readonly number[];
  readonly w: readonly number[];
}

/** The n-point Gauss–Legendre rule on [−1, 1] (Newton iteration on Legendre polynomials). */
export function gaussLegendreRule(n: number): QuadratureRule {
  const x: number[] = new Array(n).fill(0);
  const w: number[] = new Array(n).fill(0);
  const m = Math.ceil(n / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
    w[n - 1 - i] = w[i]!;
  }
  return { x, w };
}

const RULE = gaussLegendreRule(20);

function fixed(f: (t: number) => number, a: number, b: number): number {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  let sum = 0;
  for (let i = 0; i < RULE.x.length; i++) sum += RULE.w[i]! * f(mid + half * RULE.x[i]!);
  return sum * half;
}

/**
 * ∫ₐᵇ f(t) dt by adaptive bisection of a 20-point Gauss–Legendre rule, until the two halves agree with
 * the whole to `relTol` (default 1e-13) of the running total.
 *
 * @example adaptiveIntegrate(Math.exp, 0, 1) // ≈ e − 1
 */
export function adaptiveIntegrate(f: (t: number) => number, a: number, b: number, relTol = 1e-13): number {
  const whole = fixed(f, a, b);
  return refine(f, a, b, whole, relTol, Math.abs(whole), 0);
}

function refine(
  f: (t: number) => number,
  a: number,
  b: number,
  whole: number,
  relTol: number,
  scale: number,
  depth: number,
): number {
  const mid = 0.5 * (a + b);
  const left = fixed(f, a, mid);
  const right = fixed(f, mid, b);
  const sum = left + right;
  const s = Math.max(scale, Math.abs(sum));
  if (depth >= 40 || Math.abs(sum - whole) <= relTol * s) return sum;
  return refine(f, a, mid, left, relTol, s, depth + 1) + refine(f, mid, b, right, relTol, s, depth + 1);
}
