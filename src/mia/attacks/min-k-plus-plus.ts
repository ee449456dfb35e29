import type { TokenLogprob, TopLogprob } from "../../core/types.js";
import { isMeasured, lowestFractionMean, tokenValue } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";
import { checkK, DEFAULT_MIN_K } from "./min-k.js";

/** Mean and standard deviation of log p over a next-token distribution. */
export interface Moments {
  readonly mean: number;
  readonly std: number;
}

/**
 * Approximate moments of log p from a top-k list. The unlisted tail mass r = 1 − Σ p_top is treated as if
 * every tail token had the smallest listed log-probability, an upper bound for each of them; so μ is biased
 * upward and σ is distorted. Null for an empty list.
 *
 * @example topMoments([{token: "a", logprob: Math.log(0.5)}, {token: "b", logprob: Math.log(0.5)}]) // {mean: -0.693, std: 0}
 */
export function topMoments(top: readonly TopLogprob[]): Moments | null {
  if (top.length === 0) return null;
  let mass = 0;
  let m1 = 0;
  let m2 = 0;
  let minLp = Number.POSITIVE_INFINITY;
  for (const { logprob } of top) {
    const p = Math.exp(logprob);
    mass += p;
    m1 += p * logprob;
    m2 += p * logprob * logprob;
    minLp = Math.min(minLp, logprob);
  }
  const rest = Math.max(0, 1 - mass);
  m1 += rest * minLp;
  m2 += rest * minLp * minLp;
  return { mean: m1, std: Math.sqrt(Math.max(0, m2 - m1 * m1)) };
}

/** One token's standardized score z_t = (ℓ_t − μ_t)/σ_t, and whether μ, σ were approximated; null if not computable. */
export function tokenZ(t: TokenLogprob): { z: number; approximate: boolean } | null {
  const value = tokenValue(t);
  if (value === null) return null;
  const exact = t.moments;
  const m = exact ?? (t.top ? topMoments(t.top) : null);
  if (m === null || !(m.std > 0) || !Number.isFinite(m.mean)) return null;
  return { z: (value - m.mean) / m.std, approximate: exact === undefined || !isMeasured(t) };
}

/**
 * Min-K%++ (Zhang et al., ICLR 2025): z_t = (ℓ_t − μ_t)/σ_t with μ_t, σ_t the mean and standard deviation of
 * log p over the full next-token distribution (`moments`); score = mean of the lowest max(1, ⌊k·n⌋) z_t.
 *
 * Tokens without `moments` fall back to `top` (see `topMoments`) and the result is flagged `approximate`.
 * Tokens that are censored, have neither, or have σ = 0 are left out. Null when no token is left.
 * Id is `min-k-plus-plus` for k = 0.2, else `min-k-plus-plus-<percent>`.
 */
export function createMinKPlusPlus(k: number = DEFAULT_MIN_K): MiaAttack {
  checkK(k);
  return defineAttack({
    id: k === DEFAULT_MIN_K ? "min-k-plus-plus" : `min-k-plus-plus-${Math.round(k * 100)}`,
    summary: `Mean of the lowest ${Math.round(k * 100)}% standardized token scores (ℓ−μ)/σ (Min-K%++).`,
    needs: ["moments"],
    compute: ({ target }) => {
      const zs: number[] = [];
      let approximate = false;
      for (const t of target.tokens) {
        const r = tokenZ(t);
        if (r === null) continue;
        zs.push(r.z);
        approximate ||= r.approximate;
      }
      const score = lowestFractionMean(zs, k);
      return score === null ? null : { score, approximate };
    },
  });
}

/** Min-K%++ with k = 0.2. */
export const minKPlusPlusAttack: MiaAttack = createMinKPlusPlus();
