import { evaluateGate, type GateResult, parseGate } from "../../core/gate.js";

/**
 * Metrics a regression gate (`--fail-on` with a baseline, or `memscan diff --fail-on`) may use.
 * Counts are of subjects (a canary, a document, a PII value), over all probes; deltas are new − old.
 */
export const DIFF_METRICS = [
  "new-leaks",
  "new-canary-leaks",
  "new-documents",
  "new-pii",
  "new-findings",
  "gone-leaks",
  "findings-delta",
  "hit-rate-delta",
  "auc-delta",
  "auc-delta-low",
  "exposure-delta",
] as const;

const METRIC_RE = /^\s*([a-z][a-z0-9@.%_-]*?)\s*(>=|<=|==|>|<)/i;

/** True when a gate expression names a regression metric (it needs a baseline). */
export function isDiffGate(expr: string): boolean {
  const m = METRIC_RE.exec(expr);
  return m !== null && (DIFF_METRICS as readonly string[]).includes(m[1]!.toLowerCase());
}

/** Split `--fail-on` expressions into scan gates and regression gates (validated). */
export function splitGates(exprs: readonly string[]): { scan: string[]; diff: string[] } {
  const diff = exprs.filter(isDiffGate);
  for (const d of diff) parseGate(d, DIFF_METRICS);
  return { scan: exprs.filter((e) => !isDiffGate(e)), diff };
}

/** Evaluate regression gates; a metric that could not be measured (null) never fails its gate. */
export function evaluateDiffGates(
  exprs: readonly string[],
  metrics: Readonly<Record<string, number | null>>,
): GateResult[] {
  return exprs.map((e) => {
    const g = parseGate(e, DIFF_METRICS);
    return evaluateGate(g, metrics[g.metric] ?? null);
  });
}
