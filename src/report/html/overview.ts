import type { GateResult } from "../../core/gate.js";
import { exposureOf } from "../exposure-view.js";
import type { ReportModel } from "../model.js";
import type { Summary } from "../summary.js";
import { esc } from "./escape.js";
import { fixed, raw, section, table } from "./table.js";

export type VerdictKind = "pass" | "fail" | "incomplete";

/** PASS when every gate passed, FAIL when one failed, INCOMPLETE when the run did not complete. */
export function verdictOf(s: Summary, extraGates: readonly GateResult[] = []): VerdictKind {
  if (s.exitCode === 3 || s.status !== "completed") return "incomplete";
  return s.exitCode === 1 || extraGates.some((g) => g.failed) ? "fail" : "pass";
}

const LABEL: Record<VerdictKind, string> = { pass: "PASS", fail: "FAIL", incomplete: "INCOMPLETE" };

function gateRows(gates: readonly GateResult[], scope: string) {
  return gates.map((g) => [
    raw(`<code>${esc(g.expr)}</code>`),
    scope,
    g.value === null ? "not measured" : fixed(g.value, 4),
    raw(g.failed ? '<span class="fail-text">FAIL</span>' : '<span class="pass-text">pass</span>'),
  ]);
}

/** Verdict, headline numbers and every gate. */
export function renderOverview(m: ReportModel, diffGates: readonly GateResult[] = []): string {
  const s = m.summary;
  const v = verdictOf(s, diffGates);
  const failed = [...s.gates, ...diffGates].filter((g) => g.failed).map((g) => g.expr);
  const topAuc = m.mia.attacks[0]?.result;
  const exposures = m.exposure.filter((e) => !e.control).map(exposureOf);
  const maxExposure = exposures.some((e) => e !== null)
    ? Math.max(...exposures.filter((e): e is number => e !== null))
    : null;
  const cards: [string, string][] = [
    ["findings (exact)", String(s.metrics.findings ?? 0)],
    ["near findings", String(s.metrics["near-findings"] ?? 0)],
    ["canaries leaked", String(s.metrics["canary-leaks"] ?? 0)],
    ["documents extracted", String(s.metrics["documents-extracted"] ?? 0)],
    ["PII emitted", String(s.metrics.pii ?? 0)],
    ["excess hit rate", `${((s.metrics["excess-hit-rate"] ?? 0) * 100).toFixed(1)}%`],
    ...(topAuc ? ([[`best MIA AUC (${topAuc.attack})`, topAuc.auc.toFixed(3)]] as [string, string][]) : []),
    ...(maxExposure !== null
      ? ([["max canary exposure", `${maxExposure.toFixed(1)} bits`]] as [string, string][])
      : []),
  ];
  const body = [
    `<p><span id="verdict" class="verdict ${v}" data-verdict="${v}">Verdict: ${LABEL[v]}</span> ` +
      `<span class="muted">exit code ${s.exitCode}${diffGates.some((g) => g.failed) ? " (scan), 1 (regression gates)" : ""}; run ${esc(s.status)}</span></p>`,
    failed.length
      ? `<p class="fail-text">Failed gates: ${failed.map((g) => `<code>${esc(g)}</code>`).join(", ")}</p>`
      : "",
    `<div class="cards">${cards.map(([k, val]) => `<div class="card"><div class="v">${esc(val)}</div><div class="k">${esc(k)}</div></div>`).join("")}</div>`,
    "<h3>Gates</h3>",
    s.gates.length + diffGates.length
      ? table(
          ["gate", "scope", "value", "result"],
          [...gateRows(s.gates, "scan"), ...gateRows(diffGates, "vs baseline")],
          {
            id: "gates",
            numeric: [2],
          },
        )
      : '<p class="muted">No gates were set (pass --fail-on).</p>',
  ];
  return section("overview", "Overview", body.join("\n"));
}
