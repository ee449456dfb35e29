import type { Rng } from "../../core/rng.js";
import type { ReportEvent } from "../events.js";
import { foldEvents } from "../summary.js";
import { meanDeltaInterval } from "./bootstrap.js";
import type { ProbeChange } from "./types.js";

/** Per probe on the target: attempt key -> 1 when the attempt drew an exact leak, else 0 (ok attempts only). */
export function attemptHits(events: readonly ReportEvent[]): Map<string, Map<string, number>> {
  const folded = foldEvents(events);
  const hit = new Set(
    folded.verdicts
      .filter((v) => v.role === "target" && v.finding !== "divergence" && v.exact)
      .map((v) => `${v.probe}\0${v.attempt}`),
  );
  const out = new Map<string, Map<string, number>>();
  for (const a of folded.attempts) {
    if (a.role !== "target" || a.status !== "ok") continue;
    const m = out.get(a.probe) ?? new Map<string, number>();
    m.set(a.attempt, hit.has(`${a.probe}\0${a.attempt}`) ? 1 : 0);
    out.set(a.probe, m);
  }
  return out;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/**
 * Hit rate per probe in both runs, with a bootstrap interval of the change: paired over attempt keys when both
 * runs sent the same attempts (same probe params and seed), else unpaired. A probe `moved` when the interval
 * excludes 0.
 */
export function diffProbes(
  oldEvents: readonly ReportEvent[],
  newEvents: readonly ReportEvent[],
  rng: Rng,
): ProbeChange[] {
  const a = attemptHits(oldEvents);
  const b = attemptHits(newEvents);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  return ids.map((probe) => {
    const ma = a.get(probe) ?? new Map<string, number>();
    const mb = b.get(probe) ?? new Map<string, number>();
    const paired = ma.size > 0 && ma.size === mb.size && [...ma.keys()].every((k) => mb.has(k));
    const keys = [...ma.keys()].sort();
    const xa = paired ? keys.map((k) => ma.get(k)!) : [...ma.values()];
    const xb = paired ? keys.map((k) => mb.get(k)!) : [...mb.values()];
    const old = mean(xa);
    const now = mean(xb);
    const ci = meanDeltaInterval(xa, xb, paired, rng.fork(probe));
    const delta = old !== null && now !== null ? now - old : null;
    const status =
      old === null ? "new" : now === null ? "gone" : ci && (ci.low > 0 || ci.high < 0) ? "moved" : "same";
    return {
      probe,
      status,
      attemptsOld: ma.size,
      attemptsNew: mb.size,
      old,
      new: now,
      delta,
      low: ci?.low ?? null,
      high: ci?.high ?? null,
      paired,
    };
  });
}
