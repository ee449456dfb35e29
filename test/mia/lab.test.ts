import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { evaluateScores, rocAuc } from "../../src/mia/metrics.js";
import { describeLab, labPath } from "../helpers/lab.js";

interface LossRow {
  readonly record_id: string;
  readonly label: "member" | "non-member";
  readonly n: number;
  readonly meanLogprob: number;
}

describeLab("MIA metrics on the lab's mild model (per-record LOSS scores)", () => {
  const file = JSON.parse(readFileSync(labPath("results/loss_gguf_mild.json"), "utf8")) as {
    auc: number;
    rows: LossRow[];
  };
  const members = file.rows.filter((r) => r.label === "member").map((r) => r.meanLogprob);
  const nonMembers = file.rows.filter((r) => r.label === "non-member").map((r) => r.meanLogprob);

  it("has 250 + 250 records", () => {
    expect([members.length, nonMembers.length]).toEqual([250, 250]);
  });

  it("reproduces the lab's LOSS AUC 0.6993", () => {
    expect(Math.abs(rocAuc(members, nonMembers) - 0.6993)).toBeLessThan(0.0005);
    expect(rocAuc(members, nonMembers)).toBeCloseTo(file.auc, 6);
  });

  it("reports an interval around it and refuses TPR@1% and @0.1% with 250 non-members", () => {
    const r = evaluateScores(members, nonMembers, new Rng(2024));
    expect(r.aucInterval?.low).toBeLessThan(r.auc);
    expect(r.aucInterval?.high).toBeGreaterThan(r.auc);
    expect(r.aucInterval?.low).toBeGreaterThan(0.6); // clearly above chance
    expect(r.balancedAccuracy).toBeGreaterThan(0.6);
    expect(r.tprAtFpr.map((t) => t.tpr.value)).toEqual([null, null]);
  });
});
