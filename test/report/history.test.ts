import { describe, expect, it } from "vitest";
import type { ReportEvent } from "../../src/report/events.js";
import { historyRow, latestCompleted, sortHistory, trend } from "../../src/report/history.js";
import { renderHistoryHtml, renderHistoryText } from "../../src/report/history-render.js";
import { exposureEvents, miaEvents, scanEvents } from "./fixtures.js";

function at(events: ReportEvent[], time: string): ReportEvent[] {
  return events.map((e) => (e.type === "run.started" ? { ...e, time } : e));
}

describe("history", () => {
  const rows = sortHistory([
    historyRow(
      "r/3",
      at(
        scanEvents({ runId: "run-3", leaks: [{ subject: "a" }], status: "interrupted" }),
        "2026-11-03T00:00:00Z",
      ),
    ),
    historyRow(
      "r/1",
      at(
        [...scanEvents({ runId: "run-1" }), ...miaEvents({ shifts: { loss: 0.5 } })],
        "2026-11-01T00:00:00Z",
      ),
    ),
    historyRow(
      "r/2",
      at(
        [
          ...scanEvents({ runId: "run-2", leaks: [{ subject: "a" }, { subject: "b" }] }),
          ...miaEvents({ shifts: { loss: 3 } }),
          ...exposureEvents(),
        ],
        "2026-11-02T00:00:00Z",
      ),
    ),
  ]);

  it("orders runs oldest first with their key metrics", () => {
    expect(rows.map((r) => r.runId)).toEqual(["run-1", "run-2", "run-3"]);
    expect(rows.map((r) => r.metrics.findings)).toEqual([0, 2, 1]);
    expect(rows[0]!.metrics.auc).toBeGreaterThan(0.55);
    expect(rows[1]!.metrics.auc).toBeGreaterThan(0.95);
    expect(rows[1]!.metrics.exposure).toBeCloseTo(29.9);
    expect(rows[0]!.metrics.exposure).toBeNull();
  });

  it("marks the trend against the previous run that measured the metric", () => {
    expect(trend(rows, 0, "findings")).toBe("");
    expect(trend(rows, 1, "findings")).toBe("▲");
    expect(trend(rows, 2, "findings")).toBe("▼");
    expect(trend(rows, 2, "auc")).toBe(""); // not measured
    expect(renderHistoryText(rows).split("\n")[2]).toMatch(/^run-2\s+completed\s+gguf:overfit\s+2 ▲/);
  });

  it("finds the newest completed run as the next baseline", () => {
    expect(latestCompleted(rows)?.dir).toBe("r/2");
    expect(latestCompleted(rows, "openai:other")).toBeNull();
  });

  it("draws trend charts in a self-contained page", () => {
    const html = renderHistoryHtml(rows, "reports");
    expect(html).not.toMatch(/<script/i);
    for (const id of ["trend-counts", "trend-rates", "trend-auc", "trend-exposure"])
      expect(html).toContain(`id="${id}"`);
    expect(html.match(/class="trend-series"/g)?.length).toBe(8);
  });
});
