import type { ScoredText, TokenLogprob } from "../core/types.js";

/**
 * The log-probabilities of a scored text, in order: measured ones, and for a token missing from a top-k
 * list its upper bound (`bound`). Censored tokens with nothing known (`logprob: null`, no bound) and NaN
 * are left out, so every mean in `src/mia` is over the tokens with a value.
 */
export function uncensoredLogprobs(scored: ScoredText): number[] {
  const out: number[] = [];
  for (const t of scored.tokens) {
    const v = tokenValue(t);
    if (v !== null) out.push(v);
  }
  return out;
}

/**
 * A token's log-probability for the attacks: the measured value, else the upper bound a top-k list gave
 * (`bound`), else null (censored with nothing known).
 */
export function tokenValue(t: TokenLogprob): number | null {
  if (isMeasured(t)) return t.logprob;
  return t.bound !== undefined && Number.isFinite(t.bound) ? t.bound : null;
}

/** True when the token carries a real log-probability. */
export function isMeasured(t: TokenLogprob): t is TokenLogprob & { readonly logprob: number } {
  return t.logprob !== null && !Number.isNaN(t.logprob);
}

/** Arithmetic mean, or null for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Mean token log-likelihood LL(x) = (1/n)·Σ ℓ_t over uncensored tokens, or null when none.
 *
 * @example meanLogprob(scored) // -1.47
 */
export function meanLogprob(scored: ScoredText): number | null {
  return mean(uncensoredLogprobs(scored));
}

/** Mean token loss L(x) = −LL(x) (nats per token), or null when no token is uncensored. */
export function meanLoss(scored: ScoredText): number | null {
  const ll = meanLogprob(scored);
  return ll === null ? null : -ll;
}

/** Mean of the lowest `max(1, ⌊k·n⌋)` values (k in (0, 1]); null for an empty list. */
export function lowestFractionMean(values: readonly number[], k: number): number | null {
  if (values.length === 0) return null;
  const count = Math.max(1, Math.floor(k * values.length));
  const sorted = Float64Array.from(values).sort();
  let s = 0;
  for (let i = 0; i < count; i++) s += sorted[i]!;
  return s / count;
}
