import { describe, expect, it } from "vitest";
import { renderExposureChart } from "../../src/report/charts/exposure.js";
import { histogramBins } from "../../src/report/charts/histogram.js";
import { renderRocChart } from "../../src/report/charts/roc.js";
import { decadeTicks, logScale, niceTicks } from "../../src/report/charts/svg.js";
import type { ReportEvent } from "../../src/report/events.js";
import { renderFormat } from "../../src/report/formats.js";
import { esc } from "../../src/report/html/escape.js";
import { renderHtml } from "../../src/report/html/page.js";
import { buildReportModel } from "../../src/report/model.js";
import { junitErrors, sarifErrors } from "../helpers/schemas.js";
import { exposureEvents, miaEvents, scanEvents } from "./fixtures.js";

const HOSTILE = `<script>alert(1)</script></svg><img src=x onerror=alert(2)>"'&`;

describe("chart primitives", () => {
  it("places values on a log scale by decade", () => {
    const x = logScale(0.001, 1, 0, 300);
    expect(x(0.001)).toBe(0);
    expect(x(0.01)).toBeCloseTo(100);
    expect(x(0.1)).toBeCloseTo(200);
    expect(x(1)).toBeCloseTo(300);
    expect(x(0)).toBe(0); // an FPR of 0 sits on the left edge
    expect(decadeTicks(0.001, 1)).toEqual([0.001, 0.01, 0.1, 1]);
  });

  it("picks round ticks", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 29.9, 5)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0, 14, 4)).toEqual([0, 5, 10]);
    expect(niceTicks(-2.3, 3.1, 5)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it("bins both score sets on shared edges, every score counted once", () => {
    const h = histogramBins([0, 0.5, 1], [0.25, 0.26, 1], 4);
    expect(h.a).toEqual([1, 0, 1, 1]);
    expect(h.b).toEqual([0, 2, 0, 1]);
  });

  it("draws a ROC curve through its points on the log axis, with legend and chance curve", () => {
    const svg = renderRocChart(
      [
        {
          label: "loss",
          roc: [
            [0, 0],
            [0.01, 0.5],
            [1, 1],
          ],
          auc: 0.9,
        },
      ],
      {
        id: "r",
        nonMembers: 100,
      },
    );
    expect(svg).toContain("false-positive rate (log scale)");
    expect(svg).toContain("true-positive rate");
    expect(svg).toContain("loss: AUC 0.900");
    expect(svg).toContain('class="chance"');
    // x range 58..544 over 1e-2..1: fpr 0.01 -> 58 (left edge), fpr 1 -> 544; tpr 0.5 -> y 174
    expect(svg).toMatch(/M58 334L58 174L544 14/);
  });

  it("escapes every label, including canary ids in exposure points", () => {
    const svg = renderExposureChart(
      [
        {
          canaryId: HOSTILE,
          insertCount: 4,
          control: false,
          interpolated: 9.9,
          extrapolated: 29.9,
          spaceBits: 29.9,
        },
      ],
      { id: "e" },
    );
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<img");
    expect(svg).toContain(esc(HOSTILE));
  });
});

describe("HTML report", () => {
  const events = [
    ...scanEvents({
      leaks: [{ subject: "support-canary-03" }, { subject: HOSTILE }],
      probes: ["extraction.canary", "divergence.repeat-word"],
    }),
    ...miaEvents({ shifts: { loss: 2, zlib: 0.5 } }),
    ...exposureEvents(),
  ];
  const html = renderHtml(buildReportModel(events));

  it("is one self-contained file: no script, no external resource, a CSP that forbids both", () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img)\b/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it("shows the verdict, gates, probes, canary table, ROC chart, histograms and evidence", () => {
    expect(html).toContain('id="verdict" class="verdict fail" data-verdict="fail">Verdict: FAIL');
    expect(html).toContain('<table id="gates">');
    expect(html).toContain('<table id="probe-table">');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-hit-rates"');
    expect(html).toContain('<table id="canary-table">');
    expect(html.match(/<tr><td>support-canary-\d\d<\/td>/g)?.length).toBe(12);
    expect(html).toContain('id="chart-exposure"');
    expect(html).toContain('id="chart-roc"');
    expect(html.match(/class="roc-series"/g)?.length).toBe(2);
    expect(html).toContain('id="chart-hist-loss"');
    expect(html).toContain('id="chart-hist-zlib"');
    expect(html).toContain('<table id="evidence-table">');
    expect(html).toContain('<table id="capabilities-target">');
    expect(html).toContain('<table id="plan-table">');
  });

  it("escapes hostile subjects wherever they appear", () => {
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(esc(HOSTILE));
  });

  it("masks evidence unless the run stored it with --reveal and the report reveals it", () => {
    const raw = "7 0 0 5 0 0 4 2 6";
    const revealedRun = scanEvents({
      leaks: [{ subject: "support-canary-03", excerpt: raw, output: `code is ${raw}. <b>x</b>` }],
      reveal: true,
    });
    const masked = renderHtml(buildReportModel(revealedRun));
    expect(masked).not.toContain(raw);
    expect(masked).toContain("[redacted 17 chars sha256:");
    const shown = renderHtml(buildReportModel(revealedRun, { reveal: true }));
    expect(shown).toContain(raw);
    expect(shown).toContain("&lt;b&gt;x&lt;/b&gt;"); // the output context, escaped
    // --reveal cannot reveal what a masked run never stored
    const maskedRun = scanEvents({ leaks: [{ subject: "support-canary-03" }] });
    expect(renderHtml(buildReportModel(maskedRun, { reveal: true }))).toContain("[redacted 17 chars");
  });

  it("says so when a run has no MIA or exposure stage", () => {
    const plain = renderHtml(buildReportModel(scanEvents({})));
    expect(plain).toContain("No membership-inference results in this run");
    expect(plain).toContain("No canary exposure results in this run");
    expect(plain).toContain("Verdict: PASS");
  });

  it("says INCOMPLETE for an interrupted run", () => {
    expect(renderHtml(buildReportModel(scanEvents({ status: "interrupted" })))).toContain(
      "Verdict: INCOMPLETE",
    );
  });
});

describe("a run with only MIA and exposure events (a standalone stage run)", () => {
  const events: ReportEvent[] = [
    ...scanEvents({ probes: [], attempts: 0 }),
    ...miaEvents({ shifts: { loss: 1 } }),
    ...exposureEvents(),
  ];
  it("renders every format, SARIF still schema-valid", () => {
    const m = buildReportModel(events);
    for (const f of ["html", "md", "json", "junit", "sarif"] as const)
      expect(renderFormat(f, m).length).toBeGreaterThan(100);
    expect(renderFormat("md", m)).toContain("## Membership inference");
    expect(renderFormat("md", m)).toContain("## Canary exposure");
    expect(sarifErrors(JSON.parse(renderFormat("sarif", m)))).toEqual([]);
    expect(junitErrors(renderFormat("junit", m))).toEqual([]);
  });
});
