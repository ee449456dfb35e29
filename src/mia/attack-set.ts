import { ConfigError } from "../core/errors.js";
import { ATTACKS, createMinK, createMinKPlusPlus } from "./attacks/index.js";
import { SAMIA_ATTACKS } from "./scoring/samia-sampler.js";
import type { AttackNeed, MiaAttack } from "./types.js";

/**
 * The default attacks: LOSS (the baseline every other attack is judged against) and the self-calibrated
 * Min-K% and Min-K%++, which need nothing beyond the target's own scores. On the lab's barely-memorizing
 * `mild` model they beat LOSS by more than its interval, while zlib, lowercase, perturbation attacks and a
 * base-model reference did worse than LOSS there (README, "Membership inference"): those are opt-in.
 */
export const DEFAULT_ATTACK_IDS = ["loss", "min-k", "min-k-plus-plus"] as const;

/** SPV-MIA's number of perturbed copies, used when a perturbation attack is asked for without a count. */
export const DEFAULT_PERTURBATIONS = 10;

const MIN_K = /^min-k(-plus-plus)?(?:-(\d+))?$/;

/**
 * The attack with this id; `min-k` and `min-k-plus-plus` are built at `k`, `min-k-10` at k = 0.1.
 * Undefined for an unknown id.
 */
export function attackById(id: string, k: number): MiaAttack | undefined {
  const m = MIN_K.exec(id);
  if (m) {
    const kk = m[2] !== undefined ? Number(m[2]) / 100 : k;
    if (!(kk > 0 && kk <= 1)) return undefined;
    return m[1] ? createMinKPlusPlus(kk) : createMinK(kk);
  }
  return ATTACKS.find((a) => a.id === id);
}

/** Whether `id` names an attack of either path (`min-k-10` included), for checking gate scopes. */
export function isKnownAttackId(id: string): boolean {
  return attackById(id, 0.2) !== undefined || (SAMIA_ATTACKS as readonly string[]).includes(id);
}

/** The known attack ids, as error messages list them. */
export const KNOWN_ATTACKS_HINT = `${[...ATTACKS.map((a) => a.id), ...SAMIA_ATTACKS].join(", ")} (min-k-<percent> sets k)`;

/** The chosen attacks, and what scoring they need. */
export interface AttackSelection {
  readonly attacks: readonly MiaAttack[];
  readonly needs: ReadonlySet<AttackNeed>;
}

/**
 * Resolve attack ids (empty: the default set, plus `reference` when a reference target is given and the
 * perturbation attacks when copies are asked for). `min-k` / `min-k-plus-plus` take `k`; `min-k-10` names
 * k = 0.1 directly.
 *
 * @throws ConfigError on an unknown id, or an attack whose reference model is missing.
 */
export function selectAttacks(
  ids: readonly string[],
  k: number,
  opts: { readonly reference: boolean; readonly perturbations: number },
): AttackSelection {
  const chosen = ids.length
    ? ids
    : [
        ...DEFAULT_ATTACK_IDS,
        ...(opts.reference ? ["reference"] : []),
        ...(opts.perturbations > 0 ? ["neighbour", "pv"] : []),
        ...(opts.perturbations > 0 && opts.reference ? ["spv"] : []),
      ];
  const attacks: MiaAttack[] = [];
  for (const id of chosen) {
    if ((SAMIA_ATTACKS as readonly string[]).includes(id)) {
      throw new ConfigError(
        `Expected a logprob attack, got \`${id}\`: it is the sampling path's attack; use --path samia instead`,
      );
    }
    const a = attackById(id, k);
    if (!a) {
      throw new ConfigError(
        `Unknown attack \`${id}\`; known: ${ATTACKS.map((x) => x.id).join(", ")} (min-k-<percent> sets k)`,
      );
    }
    if (a.needs.includes("reference") && !opts.reference) {
      throw new ConfigError(
        `Expected a reference model for attack \`${id}\`, got none; pass --reference-model <model> (e.g. the base model) or drop the attack`,
      );
    }
    if (!attacks.some((x) => x.id === a.id)) attacks.push(a);
  }
  return { attacks, needs: new Set(attacks.flatMap((a) => a.needs)) };
}
