import { renderTrendChart } from "./charts/trend.js";
import { HISTORY_METRICS, type HistoryMetric, type HistoryRow, trend } from "./history.js";
import { esc } from "./html/escape.js";
import { CSP } from "./html/page.js";
import { STYLE } from "./html/style.js";
import { figure, section, table } from "./html/table.js";
import { mdCell, stripControl } from "./text.js";

const RATES = new Set<HistoryMetric>(["hit-rate", "excess-hit-rate"]);

function fmt(metric: HistoryMetric, v: number | null): string {
  if (v === null) return "–";
  if (RATES.has(metric)) return `${(v * 100).toFixed(1)}%`;
  if (metric === "auc") return v.toFixed(3);
  if (metric === "exposure") return v.toFixed(1);
  return String(v);
}

const cells = (rows: readonly HistoryRow[], i: number) =>
  HISTORY_METRICS.map(
    (m) => `${fmt(m, rows[i]!.metrics[m])}${trend(rows, i, m) ? ` ${trend(rows, i, m)}` : ""}`,
  );

/** The history as a plain-text table (oldest first, ▲/▼ against the previous run). */
export function renderHistoryText(rows: readonly HistoryRow[]): string {
  const table = [
    ["run", "status", "target", ...HISTORY_METRICS],
    ...rows.map((r, i) => [r.runId, r.status, r.target ?? "?", ...cells(rows, i)]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => [...row[c]!].length)));
  return stripControl(
    table
      .map((row) =>
        row
          .map((v, c) => v + " ".repeat(widths[c]! - [...v].length))
          .join("  ")
          .trimEnd(),
      )
      .join("\n"),
  );
}

export function renderHistoryMarkdown(rows: readonly HistoryRow[]): string {
  return [
    "# memscan history",
    "",
    `| run | status | target | ${HISTORY_METRICS.join(" | ")} |`,
    `| --- | --- | --- | ${HISTORY_METRICS.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r, i) =>
        `| ${mdCell(r.runId)} | ${r.status} | ${mdCell(r.target ?? "?")} | ${cells(rows, i).join(" | ")} |`,
    ),
    "",
  ].join("\n");
}

/** A self-contained HTML page: the table and trend charts of counts, rates, AUC and exposure. */
export function renderHistoryHtml(rows: readonly HistoryRow[], folder: string): string {
  const runs = rows.map((r) => r.runId.slice(0, 16));
  const series = (ms: HistoryMetric[]) =>
    ms.map((m) => ({ label: m, values: rows.map((r) => r.metrics[m]) }));
  const measured = (m: HistoryMetric) => rows.some((r) => r.metrics[m] !== null);
  const charts = [
    figure(
      renderTrendChart(runs, series(["findings", "canary-leaks", "documents-extracted", "pii"]), {
        id: "trend-counts",
        title: "Leaks per run",
        yLabel: "count",
      }),
      "Exact leaks the control does not reproduce, per run.",
    ),
    figure(
      renderTrendChart(runs, series(["hit-rate", "excess-hit-rate"]), {
        id: "trend-rates",
        title: "Hit rates per run",
        yLabel: "rate",
        fmt: (v) => `${Math.round(v * 100)}%`,
      }),
      "Share of attempts with an exact leak, and the largest excess over the control.",
    ),
    ...(measured("auc")
      ? [
          figure(
            renderTrendChart(runs, series(["auc"]), {
              id: "trend-auc",
              title: "Best MIA AUC per run",
              yLabel: "AUC",
            }),
            "Highest membership-inference AUC over attacks.",
          ),
        ]
      : []),
    ...(measured("exposure")
      ? [
          figure(
            renderTrendChart(runs, series(["exposure"]), {
              id: "trend-exposure",
              title: "Max canary exposure per run",
              yLabel: "bits",
            }),
            "Highest exposure of a planted canary.",
          ),
        ]
      : []),
  ];
  const body = table(
    ["run", "started", "status", "target", ...HISTORY_METRICS],
    rows.map((r, i) => [r.runId, r.started ?? "–", r.status, r.target ?? "?", ...cells(rows, i)]),
    { id: "history-table" },
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>memscan history</title><style>${STYLE}</style></head>
<body><main>
<header class="top"><h1>memscan history</h1><p>${rows.length} runs in <code>${esc(folder)}</code>, oldest first; ▲/▼ against the previous run.</p></header>
${section("trend", "Trend", `<div class="charts">${charts.join("")}</div>`)}
${section("runs", "Runs", body)}
</main></body></html>
`;
}
