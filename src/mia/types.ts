import type { ScoredText } from "../core/types.js";

/** Extra scored inputs an attack may need besides the target's scores of the text itself. */
export type AttackNeed = "reference" | "moments" | "perturbations" | "lowercase";

/**
 * Everything an attack may read for one text. All `ScoredText`s are teacher-forced scores of the text (or a
 * variant of it) with the first token already dropped; `logprob: null` tokens are censored.
 */
export interface AttackInput {
  /** The text scored by the target model. */
  readonly target: ScoredText;
  /** The same text scored by a reference model (the base the target was fine-tuned from, or a self-prompt fine-tune). */
  readonly reference?: ScoredText;
  /** `text.toLowerCase()` scored by the target model. */
  readonly lowercase?: ScoredText;
  /** Perturbed copies of the text (see `perturb.ts`) scored by the target model. */
  readonly perturbed?: readonly ScoredText[];
  /** The same perturbed copies scored by the reference model (SPV-MIA calibration). */
  readonly referencePerturbed?: readonly ScoredText[];
}

/**
 * One attack's score for one text. Higher `score` means "more likely a member".
 * `approximate` is true when the value rests on an approximation (e.g. Min-K%++ moments from a top-k list).
 */
export interface AttackResult {
  readonly score: number;
  readonly approximate: boolean;
}

/**
 * A membership-inference attack: pure, no I/O. The runner scores texts through targets and hands the
 * scores in. Every score follows one sign convention: **higher means more likely a member**.
 *
 * @example
 * const r = lossAttack.scoreDetailed({ target: scored }); // { score: -1.47, approximate: false } or null
 */
export interface MiaAttack {
  /** Kebab-case id, e.g. `min-k` or `spv`. */
  readonly id: string;
  /** One line: what the score is. */
  readonly summary: string;
  /** Inputs beyond `target` the attack cannot do without. */
  readonly needs: readonly AttackNeed[];
  /** The score, or null when it cannot be computed (missing inputs, no uncensored tokens, non-finite result). */
  score(input: AttackInput): number | null;
  /** The score with its `approximate` flag, or null as for `score`. */
  scoreDetailed(input: AttackInput): AttackResult | null;
}

/** What `defineAttack` needs: the computation returns a plain number, a result, or null. */
export interface AttackDefinition {
  readonly id: string;
  readonly summary: string;
  readonly needs: readonly AttackNeed[];
  readonly compute: (input: AttackInput) => number | AttackResult | null;
}

/**
 * Build a `MiaAttack` from one computation, so `score` and `scoreDetailed` never disagree. Non-finite
 * results (NaN, ±Infinity) become null.
 */
export function defineAttack(def: AttackDefinition): MiaAttack {
  const scoreDetailed = (input: AttackInput): AttackResult | null => {
    const raw = def.compute(input);
    if (raw === null) return null;
    const result = typeof raw === "number" ? { score: raw, approximate: false } : raw;
    return Number.isFinite(result.score) ? result : null;
  };
  return {
    id: def.id,
    summary: def.summary,
    needs: def.needs,
    scoreDetailed,
    score: (input) => scoreDetailed(input)?.score ?? null,
  };
}
