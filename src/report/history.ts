import type { ReportEvent } from "./events.js";
import { exposureOf, foldExposure } from "./exposure-view.js";
import { foldMia } from "./mia-view.js";
import { summarize } from "./summary.js";

/** Key metrics of one past run, for `memscan history`. */
export interface HistoryRow {
  readonly runId: string;
  /** The run folder. */
  readonly dir: string;
  readonly started: string | null;
  readonly status: string;
  readonly target: string | null;
  readonly metrics: Readonly<Record<HistoryMetric, number | null>>;
}

/** The metrics a history tracks (null when a run did not measure one: no MIA stage, no exposure stage). */
export const HISTORY_METRICS = [
  "findings",
  "canary-leaks",
  "documents-extracted",
  "pii",
  "hit-rate",
  "excess-hit-rate",
  "auc",
  "exposure",
] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

/** One run's row: its summary metrics, the best MIA AUC and the highest planted-canary exposure. */
export function historyRow(dir: string, events: readonly ReportEvent[]): HistoryRow {
  const s = summarize(events);
  const started = events.find((e) => e.type === "run.started");
  const mia = foldMia(events).attacks;
  const ex = foldExposure(events)
    .filter((e) => !e.control)
    .map(exposureOf)
    .filter((x): x is number => x !== null);
  return {
    runId: s.runId,
    dir,
    started: started?.time ?? null,
    status: s.status,
    target: s.target.target?.id ?? null,
    metrics: {
      findings: s.metrics.findings ?? null,
      "canary-leaks": s.metrics["canary-leaks"] ?? null,
      "documents-extracted": s.metrics["documents-extracted"] ?? null,
      pii: s.metrics.pii ?? null,
      "hit-rate": s.metrics["hit-rate"] ?? null,
      "excess-hit-rate": s.metrics["excess-hit-rate"] ?? null,
      auc: mia.length ? Math.max(...mia.map((a) => a.result.auc)) : null,
      exposure: ex.length ? Math.max(...ex) : null,
    },
  };
}

/** Oldest first (by start time, then run id). */
export function sortHistory(rows: readonly HistoryRow[]): HistoryRow[] {
  return [...rows].sort(
    (a, b) => (a.started ?? "").localeCompare(b.started ?? "") || a.runId.localeCompare(b.runId),
  );
}

/** The newest completed run, optionally of one target id: the baseline a scheduled scan compares with. */
export function latestCompleted(rows: readonly HistoryRow[], target?: string): HistoryRow | null {
  const ok = sortHistory(rows).filter(
    (r) => r.status === "completed" && (target === undefined || r.target === target),
  );
  return ok.at(-1) ?? null;
}

/** Change of a metric against the previous run that measured it: ▲ up, ▼ down, = same, blank first time. */
export function trend(rows: readonly HistoryRow[], i: number, metric: HistoryMetric): string {
  const v = rows[i]!.metrics[metric];
  if (v === null) return "";
  for (let j = i - 1; j >= 0; j--) {
    const p = rows[j]!.metrics[metric];
    if (p === null) continue;
    return v > p + 1e-12 ? "▲" : v < p - 1e-12 ? "▼" : "=";
  }
  return "";
}
