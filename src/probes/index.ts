import { ConfigError } from "../core/errors.js";
import { attributeCompletion } from "./attribute-completion.js";
import { canaryExtraction } from "./canary-extraction.js";
import { prefixCompletion } from "./prefix-completion.js";
import { repeatWord } from "./repeat-word.js";
import { repeatedToken } from "./repeated-token.js";
import { sampling } from "./sampling.js";
import type { Probe } from "./types.js";

/** Every probe memscan ships, in the order `memscan list` shows them. */
export const PROBES = [
  repeatWord,
  repeatedToken,
  prefixCompletion,
  canaryExtraction,
  attributeCompletion,
  sampling,
] as const;

/**
 * The probe with this id; throws a ConfigError listing the known ids otherwise.
 *
 * @example
 * getProbe("extraction.canary").defaults.samples; // 3
 */
export function getProbe(id: string): Probe<unknown> {
  const found = PROBES.find((p) => p.id === id);
  if (found) return found as unknown as Probe<unknown>;
  throw new ConfigError(
    `Expected a known probe id, got \`${id}\`; use one of: ${PROBES.map((p) => p.id).join(", ")}.`,
  );
}
