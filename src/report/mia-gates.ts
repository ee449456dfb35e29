import { ConfigError } from "../core/errors.js";
import type { GateResult } from "../core/gate.js";
import { isKnownAttackId, KNOWN_ATTACKS_HINT } from "../mia/attack-set.js";
import type { Gate as MiaGate } from "../mia/gate.js";
import { evaluateMiaGate, type GateableMetrics, parseMiaGate } from "../mia/mia-gate.js";
import type { MiaResultEvent, ReportEvent } from "./events.js";
import { foldMia } from "./mia-view.js";

/** The metric must end where the name does: `auc-delta>0.05` is a baseline-diff gate, not `auc`. */
const MIA_GATE = /^\s*(?:[a-z0-9][a-z0-9-]*\s*:\s*)?(?:auc|balanced-accuracy|tpr)(?![a-z0-9-])/i;

/**
 * Whether a `--fail-on` expression is a membership-inference gate (`auc>0.6`, `tpr@1%>0.05`, `loss:auc>0.7`);
 * `auc-delta>0.05` and the other diff gates are not.
 */
export function isMiaGate(expr: string): boolean {
  return MIA_GATE.test(expr);
}

/**
 * Parse the MIA gates among `exprs` (validated before anything runs). A scope must name a known attack
 * (run or not: `zlib:auc>0.6` on a run without zlib is "not measured"; `nosuch:auc>0.6` is a usage error).
 */
export function parseMiaGates(exprs: readonly string[]): MiaGate[] {
  return exprs.filter(isMiaGate).map((e) => {
    const g = parseMiaGate(e);
    if (g.scope !== null && !isKnownAttackId(g.scope))
      throw new ConfigError(
        `Unknown attack \`${g.scope}\` in gate \`${e.trim()}\`; known: ${KNOWN_ATTACKS_HINT}`,
      );
    return g;
  });
}

function gateable(r: MiaResultEvent): GateableMetrics {
  const tpr = (value: number | null, alpha: number) => ({
    alpha,
    tpr:
      value === null
        ? {
            value: null,
            reason: `TPR@${alpha * 100}%FPR refused: too few non-members (about ${10 / alpha} needed)`,
          }
        : { value },
  });
  return {
    auc: r.auc,
    balancedAccuracy: r.balancedAccuracy,
    tprAtFpr: [tpr(r.tprAt1, 0.01), tpr(r.tprAt01, 0.001)],
  };
}

/**
 * Evaluate MIA gates over a run's `mia.result` events. An unscoped gate takes the max over attacks; a gate
 * that cannot be measured (no results, TPR refused) does not fail, and says why in `reason`.
 */
export function evaluateMiaGates(
  gates: readonly MiaGate[],
  events: readonly ReportEvent[],
): (GateResult & { attack: string | null; reason?: string })[] {
  const reports = Object.fromEntries(
    foldMia(events).attacks.map((a) => [a.result.attack, gateable(a.result)]),
  );
  return gates.map((g) => {
    const o = evaluateMiaGate(g, reports);
    const metric = g.arg === null ? g.metric : `${g.metric}@${g.arg * 100}%`;
    return {
      expr: g.source.trim(),
      metric: g.scope ? `${g.scope}:${metric}` : metric,
      op: g.op,
      threshold: g.value,
      value: o.value,
      failed: o.tripped,
      attack: o.attack,
      ...(o.reason ? { reason: o.reason } : {}),
    };
  });
}
