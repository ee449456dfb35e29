import { meanLoss } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";

/**
 * Lowercase (Carlini et al. 2021): score = log PPL(lower(x)) / log PPL(x) = L(lower(x)) / L(x), with L the
 * mean token loss. A member's exact casing was learned, so lowercasing costs it proportionally more loss:
 * higher means member. Null when L(x) = 0 (ratio undefined) or an input is missing.
 */
export const lowercaseAttack: MiaAttack = defineAttack({
  id: "lowercase",
  summary: "Loss of the lowercased text divided by the loss of the text.",
  needs: ["lowercase"],
  compute: ({ target, lowercase }) => {
    if (lowercase === undefined) return null;
    const lx = meanLoss(target);
    const ll = meanLoss(lowercase);
    if (lx === null || ll === null || lx === 0) return null;
    return ll / lx;
  },
});
