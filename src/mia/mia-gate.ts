import { ConfigError } from "../core/errors.js";
import { compareGate, type Gate, type GateMetricSpec, parseGate } from "./gate.js";
import type { Estimate } from "./tpr-at-fpr.js";

/** What a gate reads of one attack's results: a `ScoreReport`, or the numbers of a `mia.result` event. */
export interface GateableMetrics {
  readonly auc: number;
  readonly balancedAccuracy: number;
  readonly tprAtFpr: readonly { readonly alpha: number; readonly tpr: Estimate }[];
}

/** Metrics a membership-inference gate may test. */
export const MIA_GATE_METRICS: readonly GateMetricSpec[] = [
  "auc",
  "balanced-accuracy",
  { name: "tpr", arg: "percent" },
];

/** The outcome of one gate: whether it tripped, on which value and attack, or why it could not be measured. */
export interface GateOutcome {
  readonly gate: Gate;
  /** True when the condition holds: a finding at or over the gate. */
  readonly tripped: boolean;
  /** The value compared (the max over attacks for an unscoped gate), or null when not measurable. */
  readonly value: number | null;
  /** The attack the value came from, or null. */
  readonly attack: string | null;
  /** Why the value is null (missing attack, refused TPR), when it is. */
  readonly reason?: string;
}

/**
 * Parse an MIA gate: `auc>0.6`, `tpr@1%>0.05`, `tpr@0.1%>=0.01`, `balanced-accuracy>0.7`, optionally scoped
 * to one attack as `loss:auc>0.6` (unscoped = the max over attacks). When `attackIds` is given, a scope
 * must be one of them.
 */
export function parseMiaGate(expr: string, attackIds?: readonly string[]): Gate {
  const gate = parseGate(expr, MIA_GATE_METRICS);
  if (gate.scope !== null && attackIds && !attackIds.includes(gate.scope))
    throw new ConfigError(
      `Expected a gate scope among ${attackIds.join(", ")}, got \`${gate.scope}\` in \`${expr}\``,
    );
  if (gate.arg !== null && !(gate.arg > 0 && gate.arg < 1))
    throw new ConfigError(
      `Expected the FPR in \`${expr}\` to be between 0% and 100%, got ${gate.arg * 100}%`,
    );
  return gate;
}

function metricOf(gate: Gate, report: GateableMetrics): { value: number | null; reason?: string } {
  if (gate.metric === "auc") return { value: report.auc };
  if (gate.metric === "balanced-accuracy") return { value: report.balancedAccuracy };
  const row = report.tprAtFpr.find((r) => Math.abs(r.alpha - (gate.arg ?? Number.NaN)) < 1e-12);
  if (!row)
    return { value: null, reason: `TPR@${(gate.arg ?? 0) * 100}%FPR was not computed; add it to the alphas` };
  return row.tpr.value === null ? { value: null, reason: row.tpr.reason } : { value: row.tpr.value };
}

/**
 * Evaluate a gate over per-attack reports (`{ loss: report, zlib: report }`). Unscoped gates take the max
 * over attacks that could measure the metric. A metric that cannot be measured never trips the gate.
 */
export function evaluateMiaGate(gate: Gate, reports: Readonly<Record<string, GateableMetrics>>): GateOutcome {
  const ids = gate.scope === null ? Object.keys(reports) : [gate.scope];
  let best: { value: number; attack: string } | null = null;
  const reasons: string[] = [];
  for (const id of ids) {
    const report = reports[id];
    if (!report) {
      reasons.push(`no results for attack \`${id}\``);
      continue;
    }
    const m = metricOf(gate, report);
    if (m.value === null) reasons.push(`${id}: ${m.reason}`);
    else if (best === null || m.value > best.value) best = { value: m.value, attack: id };
  }
  if (best === null)
    return {
      gate,
      tripped: false,
      value: null,
      attack: null,
      reason: reasons.join("; ") || "no attack results",
    };
  return { gate, tripped: compareGate(gate, best.value), value: best.value, attack: best.attack };
}
