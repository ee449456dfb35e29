import type { ExposureRow } from "../report/exposure-summary.js";
import type { CanaryExposure } from "./exposure-scores.js";

/**
 * Offline results (`--scores`) as report rows, the same shape a measured run reports: extrapolation
 * capped at log2 |space| when the file gave the space size, the uncapped value beside it.
 */
export function scoresToRows(results: readonly CanaryExposure[]): ExposureRow[] {
  return results.map((r) => {
    const raw = r.extrapolation?.exposure ?? null;
    return {
      id: r.id,
      role: "target",
      insertCount: r.insertCount,
      control: r.control,
      method: "rank",
      rank: r.interpolation.rank,
      references: r.references,
      spaceBits: r.spaceBits,
      exposureInterpolated: r.interpolation.exposure,
      exposureExtrapolated: raw === null || r.spaceBits === null ? raw : Math.min(raw, r.spaceBits),
      exposureExtrapolatedRaw: raw,
      ...(r.extrapolationError ? { error: `extrapolation: ${r.extrapolationError}` } : {}),
    };
  });
}
