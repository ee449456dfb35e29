import type { GateResult } from "../core/gate.js";
import type { MiaResultEvent, ReportEvent } from "../report/events.js";
import { foldMia } from "../report/mia-view.js";

/** One attack as `memscan mia --json` prints it. */
export interface MiaAttackJson {
  readonly id: string;
  readonly path: string;
  readonly approximate: boolean;
  readonly auc: number;
  readonly aucLow: number;
  readonly aucHigh: number;
  readonly tprAt1: number | null;
  readonly tprAt01: number | null;
  readonly balancedAccuracy: number;
  readonly members: number;
  readonly nonMembers: number;
}

export function attackRow(r: MiaResultEvent): MiaAttackJson {
  return {
    id: r.attack,
    path: r.path,
    approximate: r.approximate,
    auc: r.auc,
    aucLow: r.aucLow,
    aucHigh: r.aucHigh,
    tprAt1: r.tprAt1,
    tprAt01: r.tprAt01,
    balancedAccuracy: r.balancedAccuracy,
    members: r.members,
    nonMembers: r.nonMembers,
  };
}

/** Per-attack rows of a run (highest AUC first) and the requests its records cost per role. */
export function miaResults(events: readonly ReportEvent[]) {
  const view = foldMia(events);
  let target = 0;
  let reference = 0;
  for (const r of view.records) {
    target += r.usage?.target.requests ?? r.requests;
    reference += r.usage?.reference?.requests ?? 0;
  }
  return {
    attacks: view.attacks.map((a) => attackRow(a.result)),
    records: view.records.length,
    requests: { target, reference },
  };
}

const pct = (x: number | null, refused: string) => (x === null ? refused : `${(x * 100).toFixed(1)}%`);

/** The console table: one line per attack, then one per gate. */
export function miaTable(rows: readonly MiaAttackJson[], gates: readonly GateResult[]): string[] {
  if (rows.length === 0) return ["no MIA results (the run stopped before every record was scored)"];
  const head = ["attack", "AUC [95% CI]", "TPR@1%FPR", "TPR@0.1%FPR", "bal.acc", "members/non", "path"];
  const body = rows.map((r) => [
    `${r.id}${r.approximate ? " (approx.)" : ""}`,
    `${r.auc.toFixed(3)} [${r.aucLow.toFixed(3)}, ${r.aucHigh.toFixed(3)}]`,
    pct(r.tprAt1, "refused: too few non-members"),
    pct(r.tprAt01, "refused: too few non-members"),
    r.balancedAccuracy.toFixed(3),
    `${r.members}/${r.nonMembers}`,
    r.path,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [line(head), ...body.map(line)];
  for (const g of gates) {
    const value = g.value === null ? "not measured" : g.value.toFixed(3);
    out.push(`gate ${g.expr}: ${value} -> ${g.failed ? "FAIL" : "pass"}`);
  }
  return out;
}
