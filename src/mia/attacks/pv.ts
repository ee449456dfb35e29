import { defineAttack, type MiaAttack } from "../types.js";
import { probabilisticVariation } from "./probabilistic-variation.js";

/**
 * Uncalibrated probabilistic variation (SPV-MIA without a reference): score = −PV(x)
 * = exp(−L(x)) − mean_n exp(−L(x̃ₙ)). Higher means member (the official code's PV is lower for members).
 */
export const pvAttack: MiaAttack = defineAttack({
  id: "pv",
  summary:
    "Geometric-mean token probability of the text minus that of its perturbations (uncalibrated SPV-MIA).",
  needs: ["perturbations"],
  compute: ({ target, perturbed }) => {
    if (perturbed === undefined || perturbed.length === 0) return null;
    const pv = probabilisticVariation(target, perturbed);
    return pv === null ? null : -pv;
  },
});
