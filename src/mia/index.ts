/** Membership inference: pure attacks over token logprobs, perturbations, metrics and gates. No I/O. */
export * from "./attacks/index.js";
export type { BootstrapOptions, Interval, ScoreStatistic } from "./bootstrap.js";
export * from "./gate.js";
export * from "./metrics.js";
export * from "./mia-gate.js";
export * from "./perturb.js";
export type { RocPoint, SortedScores } from "./roc.js";
export * from "./samia.js";
export * from "./token-stats.js";
export * from "./types.js";
