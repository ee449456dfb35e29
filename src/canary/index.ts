/** The canary toolkit: manifest, formats, generation, planting, exposure. Re-exports only. */
export * from "./dataset.js";
export * from "./emission.js";
export * from "./exposure.js";
export * from "./exposure-scores.js";
export * from "./format-digits.js";
export * from "./format-pattern.js";
export * from "./format-record.js";
export * from "./format-spec.js";
export * from "./format-words.js";
export * from "./formats.js";
export * from "./generate.js";
export * from "./manifest.js";
export * from "./plant.js";
export * from "./plant-records.js";
export * from "./skew-normal.js";
export * from "./skew-normal-fit.js";
