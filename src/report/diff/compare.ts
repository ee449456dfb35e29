import { Rng } from "../../core/rng.js";
import type { ReportEvent } from "../events.js";
import { foldExposure } from "../exposure-view.js";
import { finalizeSummary } from "../finalize.js";
import { foldMia } from "../mia-view.js";
import type { Summary } from "../summary.js";
import { evaluateDiffGates } from "./gates.js";
import { diffItems } from "./items.js";
import { diffMia } from "./mia.js";
import { diffProbes } from "./probes.js";
import { DIFF_VERSION, type ItemChange, type MetricChange, type RunDiff, type RunRef } from "./types.js";

/** Seed of the diff bootstrap: intervals are reproducible for the same two runs. */
export const DIFF_SEED = 7;

const ref = (s: Summary): RunRef => ({
  runId: s.runId,
  target: s.target.target?.id ?? null,
  status: s.status,
});

const maxOf = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
};

/**
 * Compare two runs (old = baseline, new = candidate): per canary, document and PII value what is new, gone
 * or moved; per probe and per MIA attack the change with a bootstrap 95% interval; every summary metric;
 * and the regression gates in `gates` (`new-leaks>0`, `auc-delta>0.05`, ...).
 */
export function diffRuns(
  oldEvents: readonly ReportEvent[],
  newEvents: readonly ReportEvent[],
  gates: readonly string[] = [],
): RunDiff {
  const rng = new Rng(DIFF_SEED, "diff");
  const a = finalizeSummary(oldEvents, []);
  const b = finalizeSummary(newEvents, []);
  const items = diffItems(a, b, foldExposure(oldEvents), foldExposure(newEvents));
  const probes = diffProbes(oldEvents, newEvents, rng.fork("probes"));
  const mia = diffMia(foldMia(oldEvents), foldMia(newEvents), rng.fork("mia"));
  const metricNames = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])];
  const metrics: MetricChange[] = metricNames.map((metric) => {
    const o = a.metrics[metric] ?? null;
    const n = b.metrics[metric] ?? null;
    return { metric, old: o, new: n, delta: o !== null && n !== null ? n - o : null };
  });
  const becameExact = (i: ItemChange) => i.new?.exact === true && i.old?.exact !== true;
  const count = (pred: (i: ItemChange) => boolean) => items.filter(pred).length;
  const diffMetrics: Record<string, number | null> = {
    "new-leaks": count(becameExact),
    "new-canary-leaks": count((i) => i.category === "canary" && becameExact(i)),
    "new-documents": count((i) => i.category === "document" && becameExact(i)),
    "new-pii": count((i) => i.category === "pii" && becameExact(i)),
    "new-findings": count((i) => i.status === "new"),
    "gone-leaks": count((i) => i.old?.exact === true && i.new?.exact !== true),
    "findings-delta": (b.metrics.findings ?? 0) - (a.metrics.findings ?? 0),
    "hit-rate-delta": maxOf(probes.map((p) => p.delta)),
    "auc-delta": maxOf(mia.map((m) => m.delta)),
    "auc-delta-low": maxOf(mia.map((m) => m.low)),
    "exposure-delta": maxOf(
      items.map((i) =>
        i.exposureOld !== undefined &&
        i.exposureOld !== null &&
        i.exposureNew !== undefined &&
        i.exposureNew !== null
          ? i.exposureNew - i.exposureOld
          : null,
      ),
    ),
  };
  const evaluated = evaluateDiffGates(gates, diffMetrics);
  const changed = (c: ItemChange["category"]) => items.filter((i) => i.category === c && i.status !== "same");
  const same = (c: ItemChange["category"]) =>
    items.filter((i) => i.category === c && i.status === "same").length;
  return {
    diffVersion: DIFF_VERSION,
    old: ref(a),
    new: ref(b),
    canaries: changed("canary"),
    documents: changed("document"),
    pii: changed("pii"),
    unchanged: { canary: same("canary"), document: same("document"), pii: same("pii") },
    probes,
    mia,
    metrics,
    diffMetrics,
    gates: evaluated,
    exitCode: evaluated.some((g) => g.failed) ? 1 : 0,
  };
}
