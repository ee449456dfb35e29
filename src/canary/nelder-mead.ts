/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial step per coordinate (default 0.1 + 10% of |x₀ᵢ|). */
  readonly step?: readonly number[];
  /** Stop when the simplex's objective values and coordinates agree to this (default 1e-10). */
  readonly tol?: number;
  /** Iteration cap (default 200·dimension). */
  readonly maxIter?: number;
}

/** Result of a minimisation. */
export interface Minimum {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Minimise f by the Nelder–Mead simplex method (reflection 1, expansion 2, contraction ½, shrink ½,
 * the same coefficients as `scipy.optimize.fmin`). Non-finite objective values count as +∞, so a
 * constraint can be expressed by returning Infinity.
 *
 * @example nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x // ≈ [1, −2]
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): Minimum {
  const n = x0.length;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 200 * n;
  const fx = (x: readonly number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = p[i]! + (options.step?.[i] ?? 0.1 + 0.1 * Math.abs(p[i]!));
    simplex.push(p);
  }
  let values = simplex.map(fx);
  let iter = 0;
  let converged = false;
  for (; iter < maxIter; iter++) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    const spreadF = Math.abs(values[n]! - values[0]!);
    const spreadX = Math.max(
      ...simplex.slice(1).map((p) => Math.max(...p.map((v, j) => Math.abs(v - simplex[0]![j]!)))),
    );
    if (spreadF <= tol * (Math.abs(values[0]!) + tol) && spreadX <= Math.sqrt(tol)) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
    const worst = simplex[n]!;
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst[j]! - c));
    const reflected = along(-1);
    const fr = fx(reflected);
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = fx(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = fr < values[n]! ? along(-0.5) : along(0.5);
      const fc = fx(contracted);
      if (fc < Math.min(fr, values[n]!)) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        const best = simplex[0]!;
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => best[j]! + 0.5 * (v - best[j]!));
          values[i] = fx(simplex[i]!);
        }
      }
    }
  }
  const bestIndex = values.indexOf(Math.min(...values));
  return { x: simplex[bestIndex]!, value: values[bestIndex]!, iterations: iter, converged };
}
