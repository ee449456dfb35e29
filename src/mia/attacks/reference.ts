import { meanLogprob } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";

/**
 * Reference-model calibration (Carlini et al. 2021; offline LiRA): score = LL_target(x) − LL_reference(x)
 * = L_ref(x) − L_target(x). What the fine-tune learned beyond what the reference already predicts.
 */
export const referenceAttack: MiaAttack = defineAttack({
  id: "reference",
  summary: "Target mean log-probability minus the reference model's.",
  needs: ["reference"],
  compute: ({ target, reference }) => {
    if (reference === undefined) return null;
    const t = meanLogprob(target);
    const r = meanLogprob(reference);
    return t === null || r === null ? null : t - r;
  },
});
