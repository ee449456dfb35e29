import { ConfigError } from "./errors.js";

/**
 * Gates: `--fail-on "<metric><op><number>"`, e.g. `findings>0`, `canary-hits>=1`, `auc>0.6`,
 * `tpr@1%>0.05`, `exposure>20`. A number may end in `%` (divided by 100). The caller says which
 * metric names it knows; an unknown name is a ConfigError listing them.
 */
export type GateOp = ">" | ">=" | "<" | "<=" | "==";

export interface Gate {
  readonly expr: string;
  readonly metric: string;
  readonly op: GateOp;
  readonly threshold: number;
}

export interface GateResult extends Gate {
  /** The measured value; null when it could not be measured (the gate then does not fail). */
  readonly value: number | null;
  readonly failed: boolean;
}

const GATE_RE = /^\s*([a-z][a-z0-9@.%_-]*?)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)(%?)\s*$/i;

/** Parse one gate expression against the known metric names. */
export function parseGate(expr: string, knownMetrics: readonly string[]): Gate {
  const m = GATE_RE.exec(expr);
  if (!m) {
    throw new ConfigError(
      `Expected a gate like "findings>0" or "auc>0.6" (<metric><op><number>, op one of > >= < <= ==), got "${expr}".`,
    );
  }
  const metric = m[1]!.toLowerCase();
  if (!knownMetrics.includes(metric)) {
    throw new ConfigError(
      `Unknown gate metric "${metric}" in "${expr}"; known metrics: ${knownMetrics.join(", ")}.`,
    );
  }
  const threshold = Number(m[3]) / (m[4] === "%" ? 100 : 1);
  return { expr: expr.trim(), metric, op: m[2] as GateOp, threshold };
}

/** A gate fails when the measured value satisfies the expression ("fail on findings>0"). */
export function evaluateGate(gate: Gate, value: number | null): GateResult {
  return { ...gate, value, failed: value !== null && compare(value, gate.op, gate.threshold) };
}

function compare(v: number, op: GateOp, t: number): boolean {
  switch (op) {
    case ">":
      return v > t;
    case ">=":
      return v >= t;
    case "<":
      return v < t;
    case "<=":
      return v <= t;
    case "==":
      return v === t;
  }
}
