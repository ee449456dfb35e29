import type { Rng } from "../core/rng.js";
import { type SortedScores, sortScores } from "./roc.js";

/** A statistic over sorted labelled scores; null means "not computable" (e.g. refused). */
export type ScoreStatistic = (sorted: SortedScores) => number | null;

/** Options for `bootstrapInterval`. */
export interface BootstrapOptions {
  /** Resamples. Default 1000. */
  readonly resamples?: number;
  /** Two-sided coverage. Default 0.95. */
  readonly level?: number;
}

/** A percentile interval and the number of resamples behind it. */
export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly resamples: number;
}

/**
 * Percentile bootstrap interval of `statistic`, resampling members and non-members separately (stratified:
 * every resample keeps both counts). Deterministic for a given `rng`. Null when the statistic is null on
 * any resample. Sorting typed arrays keeps 250 + 250 scores × 1000 resamples of AUC well under a second.
 *
 * @example bootstrapInterval(members, nonMembers, aucSorted, new Rng(7)) // { low: 0.65, high: 0.74, resamples: 1000 }
 */
export function bootstrapInterval(
  members: readonly number[],
  nonMembers: readonly number[],
  statistic: ScoreStatistic,
  rng: Rng,
  options: BootstrapOptions = {},
): Interval | null {
  const b = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(b) || b < 1)
    throw new RangeError(`Expected resamples to be a positive integer, got ${b}`);
  if (!(level > 0 && level < 1))
    throw new RangeError(`Expected level in (0, 1), got ${level}; use e.g. 0.95`);
  const base = sortScores(members, nonMembers);
  const r = rng.fork("bootstrap");
  const m = new Float64Array(base.members.length);
  const n = new Float64Array(base.nonMembers.length);
  const values = new Float64Array(b);
  for (let k = 0; k < b; k++) {
    for (let i = 0; i < m.length; i++) m[i] = base.members[r.int(m.length)]!;
    for (let i = 0; i < n.length; i++) n[i] = base.nonMembers[r.int(n.length)]!;
    const v = statistic({ members: m.sort(), nonMembers: n.sort() });
    if (v === null) return null;
    values[k] = v;
  }
  values.sort();
  const tail = (1 - level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail), resamples: b };
}

/** Quantile of sorted values by linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError("Expected at least one value for a quantile, got none");
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
