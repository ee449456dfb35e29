import type { CanaryExposureEvent, ReportEvent } from "./events.js";

/**
 * The canary exposure table: the last `canary.exposure` event per canary (a resumed run may repeat one),
 * sorted by insertion count, controls first, then by id.
 */
export function foldExposure(events: readonly ReportEvent[]): CanaryExposureEvent[] {
  const byId = new Map<string, CanaryExposureEvent>();
  for (const ev of events) if (ev.type === "canary.exposure") byId.set(ev.canaryId, ev);
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.control) - Number(a.control) ||
      a.insertCount - b.insertCount ||
      a.canaryId.localeCompare(b.canaryId),
  );
}

/** The exposure a canary is judged by: the extrapolated estimate when there is one (it can pass log2 N), else the interpolated one. */
export function exposureOf(e: CanaryExposureEvent): number | null {
  return e.exposureExtrapolated ?? e.exposureInterpolated;
}
