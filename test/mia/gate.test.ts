import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { compareGate, parseGate } from "../../src/mia/gate.js";
import { evaluateScores } from "../../src/mia/metrics.js";
import { evaluateMiaGate, parseMiaGate } from "../../src/mia/mia-gate.js";

describe("parseMiaGate", () => {
  it.each([
    ["auc>0.6", { scope: null, metric: "auc", arg: null, op: ">", value: 0.6 }],
    ["tpr@1%>0.05", { scope: null, metric: "tpr", arg: 0.01, op: ">", value: 0.05 }],
    ["tpr@0.1%>=0.01", { scope: null, metric: "tpr", arg: 0.001, op: ">=", value: 0.01 }],
    ["balanced-accuracy>0.7", { scope: null, metric: "balanced-accuracy", arg: null, op: ">", value: 0.7 }],
    ["loss:auc <= .55", { scope: "loss", metric: "auc", arg: null, op: "<=", value: 0.55 }],
    [
      "min-k-plus-plus:tpr@5%>10%",
      { scope: "min-k-plus-plus", metric: "tpr", arg: 0.05, op: ">", value: 0.1 },
    ],
    ["AUC<1e-1", { scope: null, metric: "auc", arg: null, op: "<", value: 0.1 }],
  ])("%s", (expr, expected) => {
    expect(parseMiaGate(expr)).toEqual({ source: expr, ...expected });
  });

  it.each([
    ["auc", /Expected a gate of the form/],
    ["auc>>0.6", /Expected a gate of the form/],
    ["auc=0.6", /op one of >= <= > </],
    ["precision>0.5", /Expected a gate metric among auc, balanced-accuracy, tpr@<percent>%, got `precision`/],
    ["tpr>0.05", /Expected `tpr` to take an FPR like `tpr@1%`/],
    ["auc@1%>0.5", /Expected `auc` without an `@` argument/],
    ["tpr@100%>0.5", /between 0% and 100%/],
  ])("rejects %j", (expr, message) => {
    expect(() => parseMiaGate(expr)).toThrow(ConfigError);
    expect(() => parseMiaGate(expr)).toThrow(message);
  });

  it("checks the scope against known attacks when given", () => {
    expect(() => parseMiaGate("lost:auc>0.6", ["loss", "zlib"])).toThrow(
      /scope among loss, zlib, got `lost`/,
    );
  });
});

describe("parseGate (generic)", () => {
  it("serves other gate kinds with the caller's metric list", () => {
    expect(parseGate("exposure>20", ["exposure", "new-leaks"])).toMatchObject({
      metric: "exposure",
      value: 20,
    });
    expect(parseGate("new-leaks>0", ["exposure", "new-leaks"])).toMatchObject({
      metric: "new-leaks",
      op: ">",
    });
    expect(() => parseGate("canary-hits>0", ["exposure"])).toThrow(/among exposure, got `canary-hits`/);
  });

  it.each([
    [">", 0.6, false],
    [">=", 0.6, true],
    ["<", 0.6, false],
    ["<=", 0.6, true],
    [">", 0.7, true],
  ] as const)("compare %s at %f", (op, actual, expected) => {
    expect(compareGate({ op, value: 0.6 }, actual)).toBe(expected);
  });
});

describe("evaluateMiaGate", () => {
  const rng = new Rng(0);
  const reports = {
    loss: evaluateScores([3, 2, 2], [2, 1], rng, { resamples: 0 }), // AUC 5/6, BA 0.75
    zlib: evaluateScores([1, 2], [3, 4], rng, { resamples: 0 }), // AUC 0
  };

  it("takes the max over attacks when unscoped", () => {
    const o = evaluateMiaGate(parseMiaGate("auc>0.6"), reports);
    expect(o).toMatchObject({ tripped: true, attack: "loss" });
    expect(o.value).toBeCloseTo(5 / 6, 12);
  });

  it("uses one attack when scoped", () => {
    expect(evaluateMiaGate(parseMiaGate("zlib:auc>0.6"), reports)).toMatchObject({
      tripped: false,
      value: 0,
    });
    expect(evaluateMiaGate(parseMiaGate("balanced-accuracy>=0.75"), reports)).toMatchObject({
      tripped: true,
    });
  });

  it("never trips on a refused metric, and says why", () => {
    const o = evaluateMiaGate(parseMiaGate("tpr@1%>0"), reports);
    expect(o.tripped).toBe(false);
    expect(o.value).toBeNull();
    expect(o.reason).toMatch(/loss: TPR@1%FPR needs at least 1000 non-members, got 2/);
    expect(evaluateMiaGate(parseMiaGate("tpr@5%>0"), reports).reason).toMatch(/not computed/);
    expect(evaluateMiaGate(parseMiaGate("spv:auc>0.5"), reports).reason).toMatch(
      /no results for attack `spv`/,
    );
  });
});
