import { evaluateGate, parseGate } from "../core/gate.js";
import { isDiffGate } from "./diff/gates.js";
import type { ReportEvent } from "./events.js";
import { evaluateMiaGates, isMiaGate, parseMiaGates } from "./mia-gates.js";
import { SCAN_METRICS, type Summary, summarize } from "./summary.js";

export const EXIT = { clean: 0, findings: 1, usage: 2, runtime: 3 } as const;

/**
 * Validate gate expressions up front (before any request is sent). Regression gates (`new-leaks>0`, ...)
 * are left to the baseline diff (src/report/diff/gates.ts); MIA gates (`auc>0.6`) are validated here and
 * evaluated over the run's `mia.result` events.
 */
export function parseScanGates(exprs: readonly string[]) {
  parseMiaGates(exprs);
  return exprs.filter((e) => !isDiffGate(e) && !isMiaGate(e)).map((e) => parseGate(e, SCAN_METRICS));
}

/**
 * The summary of a run with its gates evaluated and its exit code: 3 when the run did not complete,
 * 1 when a gate failed, else 0.
 */
export function finalizeSummary(events: readonly ReportEvent[], gateExprs: readonly string[]): Summary {
  const base = summarize(events);
  const gates = [
    ...parseScanGates(gateExprs).map((g) => evaluateGate(g, base.metrics[g.metric] ?? null)),
    ...evaluateMiaGates(parseMiaGates(gateExprs), events),
  ];
  const exitCode =
    base.status !== "completed" ? EXIT.runtime : gates.some((g) => g.failed) ? EXIT.findings : EXIT.clean;
  return { ...base, gates, exitCode };
}
