import type { Rng } from "../core/rng.js";
import { quantile } from "./bootstrap.js";
import { rocAuc } from "./roc.js";

/** Two attacks' scores of the same records (null where an attack could not score one). */
export interface PairedScores {
  readonly members: readonly (readonly [number | null, number | null])[];
  readonly nonMembers: readonly (readonly [number | null, number | null])[];
}

/** AUC(a) − AUC(b) over the records both scored, with a paired stratified bootstrap 95% interval. */
export interface AucDifference {
  readonly delta: number;
  readonly low: number;
  readonly high: number;
  readonly members: number;
  readonly nonMembers: number;
}

const both = (rows: PairedScores["members"]) =>
  rows.filter((r): r is readonly [number, number] => r[0] !== null && r[1] !== null);

/**
 * Is attack `a` better than attack `b` on these records? The difference of their AUCs, and a bootstrap
 * interval that resamples records (members and non-members separately, with replacement) and scores both
 * attacks on the same resample, so the interval reflects the difference, not each AUC's own spread.
 * An interval above 0 means `a` beats `b` beyond resampling noise.
 *
 * @example aucDifference({ members, nonMembers }, new Rng(1)).low > 0 // min-k beats loss on mild
 */
export function aucDifference(scores: PairedScores, rng: Rng, resamples = 1000): AucDifference {
  const m = both(scores.members);
  const n = both(scores.nonMembers);
  if (m.length === 0 || n.length === 0)
    throw new RangeError("Expected members and non-members scored by both attacks, got none on one side");
  const delta = (mm: readonly (readonly [number, number])[], nn: readonly (readonly [number, number])[]) =>
    rocAuc(
      mm.map((r) => r[0]),
      nn.map((r) => r[0]),
    ) -
    rocAuc(
      mm.map((r) => r[1]),
      nn.map((r) => r[1]),
    );
  const r = rng.fork("auc-difference");
  const draw = <T>(xs: readonly T[]) => Array.from({ length: xs.length }, () => xs[r.int(xs.length)]!);
  const deltas = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) deltas[i] = delta(draw(m), draw(n));
  deltas.sort();
  return {
    delta: delta(m, n),
    low: resamples ? quantile(deltas, 0.025) : Number.NaN,
    high: resamples ? quantile(deltas, 0.975) : Number.NaN,
    members: m.length,
    nonMembers: n.length,
  };
}
