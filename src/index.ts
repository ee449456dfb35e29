/** memscan public library API: re-exports only. */

export * from "./core/data.js";
export * from "./core/errors.js";
export { Rng } from "./core/rng.js";
export * from "./core/types.js";
export type * from "./detectors/types.js";
export type * from "./probes/types.js";
