import { defineAttack, type MiaAttack } from "../types.js";
import { probabilisticVariation } from "./probabilistic-variation.js";

/**
 * SPV-MIA (Fu et al., NeurIPS 2024), reference-calibrated: the official code thresholds
 * PV_target(x) − PV_reference(x) with "lower means member"; this score is its negation,
 * PV_reference(x) − PV_target(x), so higher means member. Needs the perturbed copies scored by both models.
 */
export const spvAttack: MiaAttack = defineAttack({
  id: "spv",
  summary: "Probabilistic variation under the reference minus under the target (SPV-MIA, calibrated).",
  needs: ["perturbations", "reference"],
  compute: ({ target, reference, perturbed, referencePerturbed }) => {
    if (!reference || !perturbed?.length || !referencePerturbed?.length) return null;
    const pvTarget = probabilisticVariation(target, perturbed);
    const pvReference = probabilisticVariation(reference, referencePerturbed);
    return pvTarget === null || pvReference === null ? null : pvReference - pvTarget;
  },
});
