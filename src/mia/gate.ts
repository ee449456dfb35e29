import { ConfigError } from "../core/errors.js";

/** Comparison operators a gate accepts. */
export const GATE_OPS = [">=", "<=", ">", "<"] as const;
export type GateOp = (typeof GATE_OPS)[number];

/** A metric a caller accepts: a plain name (`auc`), or a name that takes `@<number>%` (`tpr@1%`). */
export type GateMetricSpec = string | { readonly name: string; readonly arg: "percent" };

/**
 * A parsed gate `[<scope>:]<metric>[@<arg>%]<op><number>[%]`, e.g. `auc>0.6`, `tpr@0.1%>=0.01`,
 * `loss:balanced-accuracy>0.7`, `exposure>20`.
 */
export interface Gate {
  /** The expression as written. */
  readonly source: string;
  /** What the gate applies to (an attack id, say), or null for "the max over all". */
  readonly scope: string | null;
  readonly metric: string;
  /** The `@` argument as a fraction (`tpr@1%` → 0.01), or null. */
  readonly arg: number | null;
  readonly op: GateOp;
  /** The threshold; a trailing `%` divides by 100. */
  readonly value: number;
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const GATE_RE = new RegExp(
  String.raw`^\s*(?:([a-z0-9][a-z0-9-]*)\s*:\s*)?([a-z][a-z0-9-]*)(?:@(${NUMBER})%)?\s*(>=|<=|>|<)\s*(${NUMBER})(%?)\s*$`,
  "i",
);

function describe(metrics: readonly GateMetricSpec[]): string {
  return metrics.map((m) => (typeof m === "string" ? m : `${m.name}@<percent>%`)).join(", ");
}

/**
 * Parse a gate expression against the metrics the caller accepts. Throws a ConfigError naming the accepted
 * forms when the expression or metric is not recognised.
 *
 * @example parseGate("tpr@1%>0.05", ["auc", { name: "tpr", arg: "percent" }]) // {scope: null, metric: "tpr", arg: 0.01, op: ">", value: 0.05}
 */
export function parseGate(expr: string, metrics: readonly GateMetricSpec[]): Gate {
  const accepted = describe(metrics);
  const m = GATE_RE.exec(expr);
  if (!m)
    throw new ConfigError(
      `Expected a gate of the form [<scope>:]<metric><op><number> (op one of ${GATE_OPS.join(" ")}; metric one of ${accepted}), e.g. \`auc>0.6\` or \`tpr@1%>0.05\`, got \`${expr}\``,
    );
  const [, scope, rawMetric, rawArg, op, rawValue, pct] = m;
  const metric = rawMetric!.toLowerCase();
  const spec = metrics.find((s) => (typeof s === "string" ? s : s.name) === metric);
  if (spec === undefined)
    throw new ConfigError(`Expected a gate metric among ${accepted}, got \`${metric}\` in \`${expr}\``);
  const takesArg = typeof spec !== "string";
  if (takesArg !== (rawArg !== undefined))
    throw new ConfigError(
      takesArg
        ? `Expected \`${metric}\` to take an FPR like \`${metric}@1%\`, got \`${expr}\``
        : `Expected \`${metric}\` without an \`@\` argument, got \`${expr}\``,
    );
  return {
    source: expr,
    scope: scope?.toLowerCase() ?? null,
    metric,
    arg: rawArg === undefined ? null : Number(rawArg) / 100,
    op: op as GateOp,
    value: Number(rawValue) / (pct ? 100 : 1),
  };
}

/** Whether `actual <op> gate.value` holds. */
export function compareGate(gate: Pick<Gate, "op" | "value">, actual: number): boolean {
  switch (gate.op) {
    case ">":
      return actual > gate.value;
    case ">=":
      return actual >= gate.value;
    case "<":
      return actual < gate.value;
    case "<=":
      return actual <= gate.value;
  }
}
