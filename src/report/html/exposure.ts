import { renderExposureChart } from "../charts/exposure.js";
import type { ReportModel } from "../model.js";
import { figure, fixed, section, table } from "./table.js";

/** Canary exposure (Secret Sharer): a table per canary and exposure against insertion count. */
export function renderExposure(m: ReportModel): string {
  const ex = m.exposure;
  if (ex.length === 0) {
    return section(
      "exposure",
      "Canary exposure",
      '<p class="muted">No canary exposure results in this run (add an <code>exposure:</code> section to the config).</p>',
    );
  }
  const rows = ex.map((e) => [
    e.canaryId,
    e.control ? "control (never planted)" : "planted",
    e.insertCount,
    e.method,
    e.references,
    e.rank ?? "–",
    fixed(e.exposureInterpolated, 2),
    fixed(e.exposureExtrapolated, 2),
    fixed(e.spaceBits, 1),
    e.emission ? `${e.emission.hits}/${e.emission.samples} (≤ ${(e.emission.upper * 100).toFixed(1)}%)` : "–",
  ]);
  const ranked = ex.filter((e) => e.method === "rank");
  const chart = ranked.length
    ? figure(
        renderExposureChart(
          ranked.map((e) => ({
            canaryId: e.canaryId,
            insertCount: e.insertCount,
            control: e.control,
            interpolated: e.exposureInterpolated,
            extrapolated: e.exposureExtrapolated,
            spaceBits: e.spaceBits,
          })),
          { id: "chart-exposure" },
        ),
        "Exposure = log2|R| − log2 rank. Memorization grows with the number of copies; controls show what an unplanted secret scores.",
      )
    : "";
  return section(
    "exposure",
    "Canary exposure",
    table(
      [
        "canary",
        "kind",
        "insertions",
        "method",
        "references",
        "rank",
        "exposure (interpolated)",
        "exposure (extrapolated)",
        "ceiling (bits)",
        "emission",
      ],
      rows,
      { id: "canary-table", numeric: [2, 4, 5, 6, 7, 8] },
    ) + chart,
  );
}
