import type { MiaAttack } from "../types.js";
import { lossAttack } from "./loss.js";
import { lowercaseAttack } from "./lowercase.js";
import { minKAttack } from "./min-k.js";
import { minKPlusPlusAttack } from "./min-k-plus-plus.js";
import { neighbourAttack } from "./neighbour.js";
import { pvAttack } from "./pv.js";
import { referenceAttack } from "./reference.js";
import { spvAttack } from "./spv.js";
import { zlibAttack } from "./zlib.js";

/** Every membership-inference attack with its default settings. Higher score means more likely a member. */
export const ATTACKS = [
  lossAttack,
  zlibAttack,
  lowercaseAttack,
  minKAttack,
  minKPlusPlusAttack,
  referenceAttack,
  neighbourAttack,
  pvAttack,
  spvAttack,
] as const satisfies readonly MiaAttack[];

/** The registered attack with this id, or undefined. */
export function findAttack(id: string): MiaAttack | undefined {
  return ATTACKS.find((a) => a.id === id);
}

export { createMinK, DEFAULT_MIN_K } from "./min-k.js";
export { createMinKPlusPlus, topMoments } from "./min-k-plus-plus.js";
export { probabilisticVariation } from "./probabilistic-variation.js";
export { zlibBytes } from "./zlib.js";
export {
  lossAttack,
  lowercaseAttack,
  minKAttack,
  minKPlusPlusAttack,
  neighbourAttack,
  pvAttack,
  referenceAttack,
  spvAttack,
  zlibAttack,
};
