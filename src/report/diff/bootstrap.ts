import type { Rng } from "../../core/rng.js";
import { quantile } from "../../mia/bootstrap.js";
import { aucSorted } from "../../mia/roc.js";

/** Resamples behind every diff interval. */
export const DIFF_RESAMPLES = 1000;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

function percentile(values: Float64Array): Interval {
  values.sort();
  return { low: quantile(values, 0.025), high: quantile(values, 0.975) };
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : 0;
};

/**
 * 95% percentile-bootstrap interval of mean(b) − mean(a). Paired (`a[i]` and `b[i]` are the same attempt in
 * both runs): resample indices once and apply them to both; unpaired: resample each side independently.
 */
export function meanDeltaInterval(
  a: readonly number[],
  b: readonly number[],
  paired: boolean,
  rng: Rng,
  resamples = DIFF_RESAMPLES,
): Interval | null {
  if (a.length === 0 || b.length === 0 || (paired && a.length !== b.length)) return null;
  const r = rng.fork("mean-delta");
  const out = new Float64Array(resamples);
  const ra = new Float64Array(a.length);
  const rb = new Float64Array(b.length);
  for (let k = 0; k < resamples; k++) {
    for (let i = 0; i < ra.length; i++) {
      const j = r.int(a.length);
      ra[i] = a[j]!;
      if (paired) rb[i] = b[j]!;
    }
    if (!paired) for (let i = 0; i < rb.length; i++) rb[i] = b[r.int(b.length)]!;
    out[k] = mean(rb) - mean(ra);
  }
  return percentile(out);
}

/** Paired and unpaired samples of one attack's scores. */
export interface AucSamples {
  readonly oldMembers: readonly number[];
  readonly oldNonMembers: readonly number[];
  readonly newMembers: readonly number[];
  readonly newNonMembers: readonly number[];
}

const aucOf = (m: Float64Array, n: Float64Array) => aucSorted({ members: m.sort(), nonMembers: n.sort() });

/**
 * 95% bootstrap interval of AUC(new) − AUC(old), stratified (members and non-members resampled separately).
 * Paired: `old*[i]` and `new*[i]` score the same record, and one draw of indices serves both runs, so the
 * record-to-record variation cancels; unpaired: each run is resampled independently.
 */
export function aucDeltaInterval(
  s: AucSamples,
  paired: boolean,
  rng: Rng,
  resamples = DIFF_RESAMPLES,
): Interval | null {
  const sides = [s.oldMembers, s.oldNonMembers, s.newMembers, s.newNonMembers];
  if (sides.some((x) => x.length === 0)) return null;
  if (
    paired &&
    (s.oldMembers.length !== s.newMembers.length || s.oldNonMembers.length !== s.newNonMembers.length)
  )
    return null;
  const r = rng.fork("auc-delta");
  const out = new Float64Array(resamples);
  const draw = (src: readonly number[], idx: Int32Array | null) => {
    const o = new Float64Array(src.length);
    for (let i = 0; i < o.length; i++) o[i] = src[idx ? idx[i]! : r.int(src.length)]!;
    return o;
  };
  const indices = (len: number) => {
    const idx = new Int32Array(len);
    for (let i = 0; i < len; i++) idx[i] = r.int(len);
    return idx;
  };
  for (let k = 0; k < resamples; k++) {
    const im = paired ? indices(s.oldMembers.length) : null;
    const inn = paired ? indices(s.oldNonMembers.length) : null;
    const oldAuc = aucOf(draw(s.oldMembers, im), draw(s.oldNonMembers, inn));
    const newAuc = aucOf(draw(s.newMembers, im), draw(s.newNonMembers, inn));
    out[k] = newAuc - oldAuc;
  }
  return percentile(out);
}
