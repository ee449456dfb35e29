import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { offlineMetrics } from "../../src/cli/commands/mia-metrics.js";
import { parseScoresJsonl } from "../../src/mia/offline-format.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/**
 * Six hand-made records; LOSS = mean uncensored logprob. Members -1, -2, -3 against non-members -2, -3, -5:
 * member -1 beats all 3; -2 ties one and beats 2 (2.5); -3 ties one, beats one (1.5) → AUC = 7/9.
 * Balanced accuracy: every threshold gives ½(TPR + 1 − FPR) = 2/3.
 */
const LOGPROBS = [
  { id: "m-1", label: "member", text: "The cat sat on the mat.", logprobs: [-0.5, -1.5, null] },
  {
    id: "m-2",
    label: "member",
    text: "Alice met Bob.",
    tokens: [
      { token: " met", logprob: -1, offset: 5 },
      {
        token: " Bob",
        logprob: -3,
        top: [
          { token: " Tom", logprob: -0.1 },
          { token: " Bob", logprob: -3 },
        ],
      },
    ],
  },
  { id: "m-3", label: "member", logprobs: [-3, -3, -3] },
  { id: "n-1", label: "non-member", text: "A dog ran.", logprobs: [-2, -2], reference: { logprobs: [-1] } },
  { id: "n-2", label: "non-member", logprobs: [-4, -2] },
  { id: "n-3", label: "non-member", logprobs: [-5] },
];

let dir: string;
let logprobs: string;
let scores: string;

beforeAll(async () => {
  dir = await tempDir("memscan-mia-offline-");
  logprobs = join(dir, "logprobs.jsonl");
  scores = join(dir, "scores.jsonl");
  await writeFile(logprobs, `${LOGPROBS.map((l) => JSON.stringify(l)).join("\n")}\n`);
});

describe("memscan mia score → mia metrics (round trip through the CLI)", () => {
  it("scores every record and the metrics give the hand-computed AUC 7/9, TPR refused for 3 non-members", async () => {
    const score = await runCli(["mia", "score", logprobs, "--out", scores]);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stdout).toMatch(/scored 6 records \(3 members, 3 non-members\) with 9 attacks/);
    const lines = (await readFile(scores, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.label, l.scores.loss])).toEqual([
      ["m-1", "member", -1],
      ["m-2", "member", -2],
      ["m-3", "member", -3],
      ["n-1", "non-member", -2],
      ["n-2", "non-member", -3],
      ["n-3", "non-member", -5],
    ]);
    // zlib needs the text; reference the reference scores; Min-K%++ from a top list is approximate.
    expect(lines.map((l) => l.scores.zlib === null)).toEqual([false, false, true, false, true, true]);
    expect(lines.map((l) => l.scores.reference)).toEqual([null, null, null, -1, null, null]);
    expect(lines[1].approximate).toEqual(["min-k-plus-plus"]);

    const metrics = await runCli(["mia", "metrics", scores, "--json", "--attacks", "loss"]);
    expect(metrics.code, metrics.stderr).toBe(0);
    const json = JSON.parse(metrics.stdout);
    expect(json.exitCode).toBe(0);
    expect(json.gates).toEqual([]);
    expect(json.attacks).toHaveLength(1);
    const loss = json.attacks[0];
    expect(loss).toMatchObject({
      id: "loss",
      path: "offline",
      approximate: false,
      members: 3,
      nonMembers: 3,
      skipped: 0,
      tprAt1: null,
      tprAt01: null,
    });
    expect(loss.auc).toBeCloseTo(7 / 9, 12);
    expect(loss.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    expect(loss.aucLow).toBeLessThanOrEqual(loss.auc);
    expect(loss.aucHigh).toBeGreaterThanOrEqual(loss.auc);
    expect(loss.tprAt1Reason).toMatch(/needs at least 1000 non-members, got 3/);
    expect(loss.tprAt01Reason).toMatch(/needs at least 10000 non-members, got 3/);
  });

  it('--fail-on "auc>0.5" exits 1 and the table shows the refusal; "loss:auc>0.99" exits 0', async () => {
    const tripped = await runCli(["mia", "metrics", scores, "--fail-on", "auc>0.5"]);
    expect(tripped.code, tripped.stderr).toBe(1);
    expect(tripped.stdout).toMatch(
      /^loss +0\.778 \[[\d.]+, [\d.]+\] +refused: needs ≥ 1000 non-members +refused: needs ≥ 10000 non-members +0\.667 +3 +3$/m,
    );
    expect(tripped.stdout).toMatch(/^gate auc>0\.5: [\d.]+ \([a-z-]+\) -> FAIL$/m);
    expect(tripped.stdout).toMatch(/^not measured: .*reference \(no member has a score\)/m);

    const passed = await runCli(["mia", "metrics", scores, "--fail-on", "loss:auc>0.99", "--json"]);
    expect(passed.code, passed.stderr).toBe(0);
    const json = JSON.parse(passed.stdout);
    expect(json.exitCode).toBe(0);
    expect(json.gates).toEqual([
      { gate: "loss:auc>0.99", tripped: false, value: json.attacks[0].auc, attack: "loss" },
    ]);
  });

  it("writes to stdout without --out; --k rebuilds Min-K% at that k", async () => {
    const r = await runCli(["mia", "score", logprobs, "--attacks", "loss,min-k", "--k", "0.5"]);
    expect(r.code, r.stderr).toBe(0);
    const first = JSON.parse(r.stdout.split("\n")[0]!);
    // m-1: uncensored [-0.5, -1.5], lowest ⌊0.5·2⌋ = 1 → -1.5.
    expect(first).toEqual({ id: "m-1", label: "member", scores: { loss: -1, "min-k-50": -1.5 } });
  });
});

describe("memscan mia score / metrics usage errors (exit 2, one line)", () => {
  it("an unknown attack lists the known ones", async () => {
    const r = await runCli(["mia", "score", logprobs, "--attacks", "loss,lira"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "memscan: Expected --attacks among loss, zlib, lowercase, min-k, min-k-plus-plus, reference, neighbour, pv, spv, got `lira`",
    ]);
  });

  it("a bad line names file:line; unlabelled scores ask for labels", async () => {
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, `${JSON.stringify(LOGPROBS[0])}\n{"id": "x", "label": "member"}\n`);
    const r = await runCli(["mia", "score", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`memscan: ${bad}:2: missing "tokens"`);

    const unlabelled = join(dir, "unlabelled.jsonl");
    await writeFile(unlabelled, `${JSON.stringify({ id: "a", scores: { loss: -1 } })}\n`);
    const m = await runCli(["mia", "metrics", unlabelled]);
    expect(m.code).toBe(2);
    expect(m.stderr.trim()).toBe(
      `memscan: ${unlabelled}:1: metrics need labels; add "label": "member"|"non-member" (1 of 1 records have none)`,
    );
  });
});

describe("offlineMetrics", () => {
  it("marks an attack approximate when a record lists it, joins paths, and reports what it cannot measure", () => {
    const records = parseScoresJsonl(
      [
        {
          id: "a",
          label: "member",
          path: "gguf",
          scores: { "min-k-plus-plus": 1, reference: 1 },
          approximate: ["min-k-plus-plus"],
        },
        {
          id: "b",
          label: "non-member",
          path: "tgi-prefill",
          scores: { "min-k-plus-plus": 0, reference: null },
        },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
      "s.jsonl",
    );
    const r = offlineMetrics(
      { source: "s.jsonl", kind: "scores", records },
      { resamples: 0, failOn: ["reference:auc>0.5"] },
    );
    expect(r.attacks.map((a) => [a.id, a.approximate, a.path, a.auc])).toEqual([
      ["min-k-plus-plus", true, "gguf,tgi-prefill", 1],
    ]);
    expect(r.unmeasured).toEqual([{ attack: "reference", reason: "no non-member has a score" }]);
    expect(r.gates[0]).toMatchObject({
      tripped: false,
      value: null,
      reason: "no results for attack `reference`",
    });
    expect(r.exitCode).toBe(0);
    expect(() =>
      offlineMetrics({ source: "s.jsonl", kind: "scores", records }, { attacks: ["loss"] }),
    ).toThrow("Expected --attacks among the attacks in s.jsonl (min-k-plus-plus, reference), got `loss`");
  });
});
