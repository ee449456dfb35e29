import { describe, expect, it } from "vitest";
import { type CanaryExposureEvent, event } from "../../src/report/events.js";
import { exposureConsole, exposureMarkdown } from "../../src/report/exposure-render.js";
import { exposureMetrics, foldExposure, groupByInsertCount } from "../../src/report/exposure-summary.js";
import { finalizeSummary } from "../../src/report/finalize.js";
import { renderMarkdown } from "../../src/report/markdown.js";

function ev(
  id: string,
  insertCount: number,
  interp: number | null,
  extrap: number | null,
  extra: Partial<CanaryExposureEvent> = {},
): CanaryExposureEvent {
  return event<CanaryExposureEvent>({
    type: "canary.exposure",
    canaryId: id,
    insertCount,
    control: insertCount === 0,
    method: "rank",
    spaceBits: 29.9,
    references: 1000,
    rank: interp === null ? null : 1,
    exposureInterpolated: interp,
    exposureExtrapolated: extrap,
    role: "target",
    ...extra,
  });
}

const run = [
  event({ type: "run.started", runId: "r1", memscanVersion: "0", seed: 1, plan: {}, resumed: false }),
  ev("c-16a", 16, 9.97, 21),
  ev("c-16b", 16, 9.97, 15),
  ev("c-1", 1, 0.5, 0.7),
  ev("ctrl", 0, 1.2, 1.4),
  ev("c-1", 1, null, null, { error: "server: boom" }), // superseded below by the resume
  ev("c-1", 1, 0.4, 0.6),
  ev("c-16a", 16, 3, 40, { role: "control" }), // the control role never drives the gate
  event({ type: "run.finished", status: "completed" }),
];

describe("exposure summary", () => {
  it("folds the last event per (role, canary) and groups by insertion count, controls first", () => {
    const s = foldExposure(run)!;
    expect(s.roles.map((r) => r.role)).toEqual(["target", "control"]);
    const target = s.roles[0]!;
    expect(target.canaries.map((c) => c.id)).toEqual(["c-16a", "c-16b", "c-1", "ctrl"]);
    expect(target.canaries.find((c) => c.id === "c-1")).toMatchObject({ exposureInterpolated: 0.4 });
    expect(target.groups.map((g) => [g.control ? "control" : g.insertCount, g.canaries])).toEqual([
      ["control", 1],
      [1, 1],
      [16, 2],
    ]);
    const g16 = target.groups.at(-1)!;
    expect(g16.meanInterpolated).toBeCloseTo(9.97, 12);
    expect(g16.meanExtrapolated).toBe(18);
    expect(g16.maxExtrapolated).toBe(21);
  });

  it("gate metric exposure = max over planted target canaries, either estimator; absent without rank results", () => {
    expect(exposureMetrics(foldExposure(run))).toEqual({ exposure: 21 });
    const onlyControls = foldExposure([ev("ctrl", 0, 5, 6)]);
    expect(exposureMetrics(onlyControls)).toEqual({});
    expect(exposureMetrics(undefined)).toEqual({});
    const gen = foldExposure([ev("g", 4, null, null, { method: "generation", rank: null })]);
    expect(exposureMetrics(gen)).toEqual({});
  });

  it("--fail-on exposure>20 fails the run (exit 1); exposure>25 passes; the summary carries the section", () => {
    const failing = finalizeSummary(run, ["exposure>20"]);
    expect(failing.metrics.exposure).toBe(21);
    expect(failing.gates[0]).toMatchObject({ value: 21, failed: true });
    expect(failing.exitCode).toBe(1);
    expect(finalizeSummary(run, ["exposure>25"]).exitCode).toBe(0);
    expect(failing.exposure?.roles[0]?.canaries).toHaveLength(4);
  });

  it("renders per role: groups, then each canary (Markdown escapes ids; console strips control codes)", () => {
    const s = foldExposure([...run, ev("evil|\u001b[31mid", 2, 1, 1)])!;
    const md = exposureMarkdown(s).join("\n");
    expect(md).toContain("## Canary exposure");
    expect(md).toContain("| 16 | 2 | 9.97 | 18.00 | 21.00 | – |");
    expect(md).toContain("evil\\|id");
    expect(md).toMatch(/saturates at log2 N = 9\.97 bits/);
    const text = exposureConsole(s).join("\n");
    expect(text).not.toContain("\u001b");
    expect(text).toMatch(/canary exposure \(control\)/);
    // A run with exposure and no probes renders no empty probe tables.
    const summaryMd = renderMarkdown(finalizeSummary(run, []));
    expect(summaryMd).toContain("## Canary exposure");
    expect(summaryMd).not.toContain("## Probes");
  });

  it("groups generation results with their emission totals", () => {
    const rows = foldExposure([
      ev("g1", 4, null, null, {
        method: "generation",
        rank: null,
        emission: { samples: 10, hits: 3, rate: 0.3, upper: 0.6, greedy: true },
      }),
      ev("g2", 4, null, null, {
        method: "generation",
        rank: null,
        emission: { samples: 10, hits: 1, rate: 0.1, upper: 0.4 },
      }),
    ])!.roles[0]!.canaries;
    expect(groupByInsertCount(rows)).toEqual([
      {
        insertCount: 4,
        control: false,
        canaries: 2,
        meanInterpolated: null,
        meanExtrapolated: null,
        maxExtrapolated: null,
        hits: 4,
        samples: 20,
      },
    ]);
    expect(
      exposureMarkdown(foldExposure([ev("x", 0, null, null, { method: "generation", rank: null })])).join(
        "\n",
      ),
    ).toMatch(/Method generation/);
  });
});
