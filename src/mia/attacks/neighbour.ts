import { meanLoss } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";
import { meanNeighbourLoss } from "./probabilistic-variation.js";

/**
 * Neighbourhood attack (Mattern et al. 2023): score = mean_n L(x̃ₙ) − L(x). A member's loss is lower than
 * its neighbours', so higher means member.
 */
export const neighbourAttack: MiaAttack = defineAttack({
  id: "neighbour",
  summary: "Mean loss of the perturbed neighbours minus the loss of the text (Mattern et al. 2023).",
  needs: ["perturbations"],
  compute: ({ target, perturbed }) => {
    if (perturbed === undefined || perturbed.length === 0) return null;
    const l = meanLoss(target);
    const ln = meanNeighbourLoss(perturbed);
    return l === null || ln === null ? null : ln - l;
  },
});
