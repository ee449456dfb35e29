import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { isDiffGate } from "../../src/report/diff/gates.js";
import type { MiaResultEvent, ReportEvent } from "../../src/report/events.js";
import { parseScanGates } from "../../src/report/finalize.js";
import { evaluateMiaGates, isMiaGate, parseMiaGates } from "../../src/report/mia-gates.js";

/** A `mia.result` as the stage writes it; only the numbers a gate reads vary. */
function result(
  attack: string,
  m: { auc: number; tprAt1?: number | null; tprAt01?: number | null; balancedAccuracy?: number },
): MiaResultEvent {
  return {
    v: 1,
    time: "2026-01-01T00:00:00.000Z",
    type: "mia.result",
    attack,
    path: "gguf",
    approximate: false,
    members: 2000,
    nonMembers: 2000,
    auc: m.auc,
    aucLow: m.auc - 0.02,
    aucHigh: m.auc + 0.02,
    tprAt1: m.tprAt1 === undefined ? 0.01 : m.tprAt1,
    tprAt01: m.tprAt01 === undefined ? null : m.tprAt01,
    balancedAccuracy: m.balancedAccuracy ?? 0.5,
    roc: [
      [0, 0],
      [1, 1],
    ],
  };
}

const events: ReportEvent[] = [
  result("loss", { auc: 0.55, tprAt1: 0.02, balancedAccuracy: 0.54 }),
  result("min-k", { auc: 0.72, tprAt1: 0.08, balancedAccuracy: 0.66 }),
  result("min-k-plus-plus", { auc: 0.64, tprAt1: 0.11, balancedAccuracy: 0.61 }),
];

const evaluate = (exprs: string[], evs: readonly ReportEvent[] = events) =>
  evaluateMiaGates(parseMiaGates(exprs), evs);

describe("isMiaGate", () => {
  it.each([
    "auc>0.6",
    "tpr@1%>0.05",
    "tpr@0.1%>=1%",
    "loss:auc>0.7",
    " Min-K:AUC > 0.6",
    "balanced-accuracy>0.7",
  ])("%s is an MIA gate", (g) => expect(isMiaGate(g)).toBe(true));

  it.each([
    "findings>0",
    "canary-leaks>0",
    "new-leaks>0",
    "exposure>20",
    "auc-delta>0.05",
    "auc-delta-low>0",
  ])("%s is not", (g) => expect(isMiaGate(g)).toBe(false));

  it("leaves the diff gates on AUC to the baseline diff (scan --baseline ... --fail-on auc-delta>0.05)", () => {
    expect(isDiffGate("auc-delta>0.05")).toBe(true);
    expect(parseScanGates(["auc-delta>0.05", "auc>0.6", "findings>0"]).map((g) => g.metric)).toEqual([
      "findings",
    ]);
  });
});

describe("parseMiaGates", () => {
  it("validates MIA gates up front and ignores the others", () => {
    expect(parseMiaGates(["findings>0", "loss:auc>0.6", "tpr@1%>0.05"]).map((g) => g.source)).toEqual([
      "loss:auc>0.6",
      "tpr@1%>0.05",
    ]);
    expect(() => parseMiaGates(["auc>>0.6"])).toThrow(ConfigError);
    expect(() => parseMiaGates(["tpr>0.05"])).toThrow(/take an FPR like `tpr@1%`/);
    expect(() => parseMiaGates(["tpr@100%>0.5"])).toThrow(/between 0% and 100%/);
  });

  it("accepts a scope naming any known attack, run or not, and refuses one naming none", () => {
    for (const g of ["zlib:auc>0.6", "spv:auc>0.6", "min-k-10:auc>0.6", "samia-zlib:auc>0.6"])
      expect(parseMiaGates([g])).toHaveLength(1);
    const err = (() => {
      try {
        parseMiaGates(["nosuch:auc>0.6"]);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain("`nosuch`");
    expect(err!.message).toContain("loss, zlib");
    expect(err!.message.split("\n")).toHaveLength(1);
  });
});

describe("evaluateMiaGates over mia.result events", () => {
  it("unscoped: the max over attacks, and which attack it came from", () => {
    expect(evaluate(["auc>0.6", "auc>0.8", "tpr@1%>0.1", "balanced-accuracy>=0.66"])).toEqual([
      { expr: "auc>0.6", metric: "auc", op: ">", threshold: 0.6, value: 0.72, failed: true, attack: "min-k" },
      {
        expr: "auc>0.8",
        metric: "auc",
        op: ">",
        threshold: 0.8,
        value: 0.72,
        failed: false,
        attack: "min-k",
      },
      {
        expr: "tpr@1%>0.1",
        metric: "tpr@1%",
        op: ">",
        threshold: 0.1,
        value: 0.11,
        failed: true,
        attack: "min-k-plus-plus",
      },
      {
        expr: "balanced-accuracy>=0.66",
        metric: "balanced-accuracy",
        op: ">=",
        threshold: 0.66,
        value: 0.66,
        failed: true,
        attack: "min-k",
      },
    ]);
  });

  it("scoped: that attack's value only", () => {
    const [g] = evaluate(["loss:auc>0.6"]);
    expect(g).toMatchObject({ metric: "loss:auc", value: 0.55, attack: "loss", failed: false });
    expect(evaluate(["loss:auc<0.6"])[0]).toMatchObject({ value: 0.55, failed: true });
  });

  it("an attack that was not run is not measured, and does not fail", () => {
    const [g] = evaluate(["zlib:auc>0.1"]);
    expect(g).toMatchObject({
      value: null,
      failed: false,
      attack: null,
      reason: "no results for attack `zlib`",
    });
  });

  it("a refused TPR gives value null with the reason, and does not fail", () => {
    const refused = [
      result("loss", { auc: 0.9, tprAt1: null, tprAt01: null }),
      result("min-k", { auc: 0.95, tprAt1: null, tprAt01: null }),
    ];
    const [one, tenth] = evaluate(["tpr@1%>0", "tpr@0.1%>0"], refused);
    expect(one).toMatchObject({ value: null, failed: false, attack: null });
    // one reason per attack, highest AUC first
    expect(one!.reason).toBe(
      "min-k: TPR@1%FPR refused: too few non-members (about 1000 needed); loss: TPR@1%FPR refused: too few non-members (about 1000 needed)",
    );
    expect(tenth!.reason).toContain("TPR@0.1%FPR refused: too few non-members (about 10000 needed)");
    // the AUC of the same results is measured and gates as usual
    expect(evaluate(["auc>0.6"], refused)[0]).toMatchObject({ value: 0.95, failed: true });
  });

  it("unscoped TPR over a mix: the max over the attacks that could measure it", () => {
    const mixed = [result("loss", { auc: 0.7, tprAt1: null }), result("zlib", { auc: 0.6, tprAt1: 0.03 })];
    expect(evaluate(["tpr@1%>0.02"], mixed)[0]).toMatchObject({ value: 0.03, attack: "zlib", failed: true });
    expect(evaluate(["tpr@0.1%>0"], mixed)[0]).toMatchObject({ value: null, failed: false });
  });

  it("a resumed run's repeated results: the last one per attack counts", () => {
    const again = [...events, result("min-k", { auc: 0.58 })];
    expect(evaluate(["auc>0.6"], again)[0]).toMatchObject({
      value: 0.64,
      attack: "min-k-plus-plus",
      failed: true,
    });
  });

  it("without any mia.result: not measured, not failed", () => {
    expect(evaluate(["auc>0.6"], [])[0]).toMatchObject({
      value: null,
      failed: false,
      reason: "no attack results",
    });
  });
});
