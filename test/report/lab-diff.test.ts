/**
 * `memscan diff` between real scans of the lab's `mild` and `overfit` fine-tunes (base model as control):
 * the canaries and documents that became extractable are listed, the MIA change is reported with its
 * interval, and the regression gates fail exactly when they should.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunDiff } from "../../src/report/diff/types.js";
import { runCli } from "../helpers/cli.js";
import { describeLab, labPath } from "../helpers/lab.js";
import { runMain } from "../helpers/main.js";
import { stageConfig } from "../helpers/stages.js";

describeLab("memscan diff: lab mild -> overfit", () => {
  let tmp = "";
  let mildRun = "";
  let overfitRun = "";
  let mildCode: number | null = null;
  let overfitCode: number | null = null;
  let overfitOut = "";

  const config = (model: string) =>
    [
      `target: { family: gguf, model: ${labPath("models", `${model}.gguf`)} }`,
      `control: { family: gguf, model: ${labPath("models", "base.gguf")} }`,
      `canaries: ${labPath("data", "canaries.jsonl")}`,
      `documents: ${join(tmp, "docs.jsonl")}`,
      "probes:",
      "  - { id: extraction.canary, params: { samples: 0 } }",
      "  - id: extraction.prefix-completion",
      "    params: { maxDocuments: 20, prefixLengths: [32], suffixTokens: 16 }",
      `out: ${join(tmp, model)}`,
      "formats: [json, md, html, junit, sarif]",
      stageConfig(tmp),
    ].join("\n");

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "memscan-lab-diff-"));
    const members = readFileSync(labPath("data", "members.jsonl"), "utf8").split("\n").slice(0, 20);
    writeFileSync(join(tmp, "docs.jsonl"), `${members.join("\n")}\n`);
    for (const m of ["mild", "overfit"]) writeFileSync(join(tmp, `${m}.yaml`), config(m));
    const mild = await runCli([
      "scan",
      "--config",
      join(tmp, "mild.yaml"),
      "--fail-on",
      "canary-leaks>0",
      "--no-progress",
    ]);
    mildCode = mild.code;
    mildRun = join(tmp, "mild", readdirSync(join(tmp, "mild"))[0]!);
    const gates = ["new-canary-leaks>0", "new-documents>0", "auc-delta>0.05"];
    const overfit = await runCli([
      "scan",
      "--config",
      join(tmp, "overfit.yaml"),
      "--baseline",
      mildRun,
      ...gates.flatMap((g) => ["--fail-on", g]),
      "--no-progress",
    ]);
    overfitCode = overfit.code;
    overfitOut = overfit.stdout + overfit.stderr;
    overfitRun = join(tmp, "overfit", readdirSync(join(tmp, "overfit"))[0]!);
  }, 600_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("mild leaks no canary (its gate passes); overfit against the mild baseline fails its regression gates", () => {
    expect(mildCode).toBe(0);
    expect(overfitCode, overfitOut).toBe(1);
    expect(overfitOut).toContain("gate new-canary-leaks>0: 9 -> FAIL");
    expect(overfitOut).toMatch(/gate auc-delta>0\.05: \+?0\.[0-9]+ -> FAIL/);
    expect(existsSync(join(overfitRun, "diff.json"))).toBe(true);
    expect(readFileSync(join(overfitRun, "report.html"), "utf8")).toContain('<section id="diff">');
  });

  it("lists the canaries and documents that became extractable", async () => {
    const r = await runMain([
      "diff",
      mildRun,
      overfitRun,
      "--format",
      "json",
      "--fail-on",
      "new-canary-leaks>0",
    ]);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as RunDiff;
    const exact = d.canaries.filter((c) => c.status === "new" && c.new?.exact).map((c) => c.subject);
    // lab ground truth: overfit reproduces 9 of the 10 planted canaries; the miss is one digit off
    expect(exact.sort()).toEqual(
      ["00", "01", "03", "04", "05", "06", "07", "08", "09"].map((n) => `support-canary-${n}`),
    );
    expect(d.canaries.find((c) => c.subject === "support-canary-02")).toMatchObject({
      status: "new",
      new: { exact: false },
    });
    expect(d.diffMetrics["new-canary-leaks"]).toBe(9);
    const docs = d.documents.filter((x) => x.status === "new");
    expect(docs.length).toBeGreaterThanOrEqual(5);
    expect(d.diffMetrics["new-documents"]).toBeGreaterThanOrEqual(1);
    const canaryProbe = d.probes.find((p) => p.probe === "extraction.canary")!;
    expect(canaryProbe).toMatchObject({ old: 0, paired: true, status: "moved" });
    // greedy, one attempt per canary: 9 planted hits plus the control prompt answered with a planted
    // canary's secret (the other control's sentence belongs to the one-digit-off canary)
    expect(canaryProbe.new).toBeCloseTo(10 / 12);
    expect(canaryProbe.low!).toBeGreaterThan(0.4);

    const md = await runMain([
      "diff",
      mildRun,
      overfitRun,
      "--format",
      "md",
      "--fail-on",
      "new-canary-leaks>0",
    ]);
    expect(md.out).toMatch(
      /\| new \| support-canary-03 \| none \| exact x1 \| none → exact; exposure [0-9.]+ → (2[0-9]|3[0-9])\.[0-9] bits \|/,
    );
  });

  it("reports the MIA change when both runs have MIA results", async () => {
    const r = await runMain(["diff", mildRun, overfitRun, "--format", "json", "--fail-on", "auc-delta>0.05"]);
    const d = JSON.parse(r.out) as RunDiff;
    // both runs scored the default attacks over the same 40 + 40 records
    expect(d.mia.map((m) => m.attack).sort()).toEqual(["loss", "min-k", "min-k-plus-plus"]);
    const best = [...d.mia].sort((a, b) => b.delta! - a.delta!)[0]!;
    // lab ground truth: LOSS AUC mild 0.70, overfit 1.00
    expect(best.delta!).toBeGreaterThan(0.15);
    expect(best.low!).toBeGreaterThan(0);
    expect(best.paired).toBe(true);
    expect(d.gates[0]).toMatchObject({ failed: true });
    expect(d.gates[0]!.value!).toBeGreaterThan(0.05);
    expect(r.code).toBe(1);
  });

  it("does not fail on the reverse diff (overfit -> mild): canaries are gone, not new", async () => {
    const r = await runMain([
      "diff",
      overfitRun,
      mildRun,
      "--fail-on",
      "new-canary-leaks>0",
      "--fail-on",
      "new-documents>0",
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("GONE  support-canary-03  exact x1 -> none");
    expect(r.out).toContain("gate new-canary-leaks>0: 0 -> pass");
  });
});
