import { meanLogprob } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";

/**
 * LOSS (Yeom et al. 2018): score = LL(x) = mean token log-probability over uncensored tokens.
 * Members were trained on, so their loss is lower and LL higher.
 *
 * @example lossAttack.score({ target }) // -1.47 for a member of the lab's `mild` model
 */
export const lossAttack: MiaAttack = defineAttack({
  id: "loss",
  summary: "Mean token log-probability LL(x) (Yeom et al. 2018).",
  needs: [],
  compute: ({ target }) => meanLogprob(target),
});
