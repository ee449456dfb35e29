/** The detector registry: an explicit array, no discovery. */
import { ConfigError } from "../core/errors.js";
import { canary } from "./canary.js";
import { corpus } from "./corpus.js";
import { divergence } from "./divergence.js";
import { pii } from "./pii.js";
import { prefixContinuation } from "./prefix-continuation.js";
import { DETECTOR_IDS, type Detector, type DetectorId } from "./types.js";

/** Every detector, in `DETECTOR_IDS` order. */
export const DETECTORS = [canary, prefixContinuation, divergence, pii, corpus] as const;

/** True when `id` names a registered detector. */
export function isDetectorId(id: string): id is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(id);
}

/**
 * The detector with this id.
 * @throws ConfigError for an unknown id.
 * @example getDetector("canary").detect(output, attempt, ctx)
 */
export function getDetector(id: string): Detector {
  const found = DETECTORS.find((d) => d.id === id);
  if (found === undefined) {
    throw new ConfigError(
      `Expected a detector id (${DETECTOR_IDS.join(", ")}), got "${id}"; run \`memscan list\` to see them.`,
    );
  }
  return found;
}
