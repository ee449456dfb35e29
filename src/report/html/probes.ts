import { renderHitRateChart } from "../charts/hit-rates.js";
import type { ReportModel } from "../model.js";
import { pct } from "../text.js";
import { figure, section, table } from "./table.js";

/** Per probe: attempts, errors, hits on the target and on the control, with the hit-rate chart. */
export function renderProbes(m: ReportModel): string {
  const s = m.summary;
  const rows = s.target.probes.map((p) => {
    const c = s.comparisons.find((x) => x.id === p.id);
    return [
      p.id,
      p.skipped ? `skipped: ${p.skipped}` : "ran",
      p.attempts,
      p.errors,
      p.hits,
      p.nearHits,
      p.diverged,
      pct(p.hitRate),
      pct(c?.controlHitRate ?? null),
      c?.difference === null || c === undefined ? "–" : pct(c.difference),
    ];
  });
  const ran = s.target.probes.filter((p) => !p.skipped);
  const chart = ran.length
    ? figure(
        renderHitRateChart(
          ran.map((p) => ({
            probe: p.id,
            target: p.hitRate,
            control: s.comparisons.find((x) => x.id === p.id)?.controlHitRate ?? null,
          })),
          { id: "chart-hit-rates", control: s.control !== null },
        ),
        "Share of successful attempts with at least one exact leak, per probe. A gap between target and control is memorization the base model does not share.",
      )
    : "";
  const body =
    table(
      [
        "probe",
        "status",
        "attempts",
        "errors",
        "hits",
        "near",
        "diverged",
        "target hit rate",
        "control hit rate",
        "difference",
      ],
      rows,
      { id: "probe-table", numeric: [2, 3, 4, 5, 6, 7, 8, 9] },
    ) + chart;
  return section("probes", "Probes: target against control", body);
}
