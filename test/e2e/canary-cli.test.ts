import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDataset, recordText } from "../../src/canary/dataset.js";
import { readCanaries } from "../../src/canary/manifest.js";
import type { ReportEvent } from "../../src/report/events.js";
import { runCli } from "../helpers/cli.js";
import { DEMO, ROOT } from "../helpers/lab.js";

const FIXTURES = join(ROOT, "test/fixtures/canary");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "memscan-canary-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const events = (runDir: string): ReportEvent[] =>
  readFileSync(join(runDir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ReportEvent);

describe("memscan canary generate → plant (round trip through the CLI)", () => {
  it("plants each canary exactly insertCount times into a chat dataset the chat reader parses; input untouched", async () => {
    const manifest = join(dir, "c.jsonl");
    const gen = await runCli([
      "canary",
      "generate",
      "--out",
      manifest,
      "--count",
      "5",
      "--controls",
      "2",
      "--seed",
      "3",
    ]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/wrote 7 canaries .* 5 to plant \(31 copies; counts 1,2,4,8,16\), 2 controls/);
    const canaries = await readCanaries(manifest);
    expect(canaries.every((c) => c.format?.spaceSize === 1e9)).toBe(true);

    const input = join(FIXTURES, "chat.jsonl");
    const before = sha(input);
    const out = join(dir, "chat.planted.jsonl");
    const plant = await runCli([
      "canary",
      "plant",
      "--dataset",
      input,
      "--manifest",
      manifest,
      "--out",
      out,
      "--seed",
      "9",
    ]);
    expect(plant.code, plant.stderr).toBe(0);
    expect(plant.stdout).toMatch(/planted 31 copies of 5 canaries \(chat dataset/);
    expect(sha(input)).toBe(before);

    const ds = parseDataset(await readFile(out, "utf8"), out, "chat");
    const all = ds.records.map((r) => recordText(ds, r)).join("\n");
    for (const c of canaries) expect(all.split(c.secret).length - 1).toBe(c.insertCount);
    const log = (await readFile(`${out}.plant-log.jsonl`, "utf8")).trim().split("\n");
    expect(log).toHaveLength(31);
  });

  it("refuses a dataset it cannot parse, naming the line", async () => {
    const res = await runCli([
      "canary",
      "plant",
      "--dataset",
      join(FIXTURES, "broken-chat.jsonl"),
      "--manifest",
      DEMO.canaries,
      "--out",
      join(dir, "never.jsonl"),
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/broken-chat\.jsonl line \d+: expected/);
  });
});

describe("memscan canary exposure", () => {
  it("--scores: offline exposures as JSON, gate exposure>5 exits 1", async () => {
    const res = await runCli([
      "canary",
      "exposure",
      "--scores",
      join(FIXTURES, "scores.json"),
      "--json",
      "--fail-on",
      "exposure>5",
    ]);
    expect(res.code, res.stderr).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.canaries[0]).toMatchObject({
      id: "c-16",
      insertCount: 16,
      control: false,
      rank: 1,
      references: 200,
    });
    for (const c of out.canaries) {
      for (const k of [
        "id",
        "insertCount",
        "control",
        "exposureInterpolated",
        "exposureExtrapolated",
        "rank",
        "references",
      ]) {
        expect(c).toHaveProperty(k);
      }
    }
    expect(out.gates[0]).toMatchObject({ expr: "exposure>5", failed: true });
  });

  it("--target gguf: a run folder with canary.exposure events, --json per canary, and a resume that redoes nothing", async () => {
    const manifest = join(dir, "three.jsonl");
    const lines = readFileSync(DEMO.canaries, "utf8").trim().split("\n");
    await writeFile(manifest, `${[lines[0], lines[9], lines[10]].join("\n")}\n`);
    const args = ["--target", "gguf", "--model", DEMO.overfit, "--manifest", manifest, "--references", "12"];
    const res = await runCli([
      "canary",
      "exposure",
      ...args,
      "--out",
      dir,
      "--json",
      "--fail-on",
      "exposure>3",
    ]);
    expect(res.code, res.stderr).toBe(1); // a planted canary beats all 12 references: log2 12 = 3.58 > 3
    const out = JSON.parse(res.stdout);
    expect(out.target).toBe("gguf:overfit");
    expect(out.canaries.map((c: { id: string }) => c.id)).toEqual([
      "support-canary-00",
      "support-canary-09",
      "support-canary-10",
    ]);
    expect(out.canaries[1]).toMatchObject({ insertCount: 16, control: false, rank: 1, references: 12 });
    expect(out.canaries[1].exposureInterpolated).toBeCloseTo(Math.log2(12), 12);
    expect(out.canaries[1].exposureExtrapolated).toBeGreaterThan(Math.log2(12));
    expect(out.canaries[2]).toMatchObject({ control: true });
    expect(out.groups.map((g: { control: boolean }) => g.control)).toEqual([true, false, false]);
    const first = events(out.runDir).filter((e) => e.type === "canary.exposure");
    expect(first).toHaveLength(3);
    expect(readFileSync(join(out.runDir, "summary.md"), "utf8")).toContain("## Canary exposure");

    const resumed = await runCli(["canary", "exposure", "--resume", out.runDir, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(events(out.runDir).filter((e) => e.type === "canary.exposure")).toHaveLength(3);
    expect(JSON.parse(resumed.stdout).canaries).toEqual(out.canaries);
  });
});

describe("memscan scan with an exposure: section", () => {
  it("writes canary.exposure events after the probes, into the same run, with summary section and gate", async () => {
    const manifest = join(dir, "two.jsonl");
    const lines = readFileSync(DEMO.canaries, "utf8").trim().split("\n");
    await writeFile(manifest, `${[lines[8], lines[11]].join("\n")}\n`);
    const config = join(dir, "scan.yaml");
    await writeFile(
      config,
      [
        "target: { family: gguf, model: " + JSON.stringify(DEMO.overfit) + " }",
        `canaries: ${JSON.stringify(manifest)}`,
        "probes: [{ id: extraction.canary, params: { samples: 0 } }]",
        "exposure: { references: 10 }",
        `out: ${JSON.stringify(dir)}`,
        'failOn: ["exposure>3"]',
      ].join("\n"),
    );
    const res = await runCli(["scan", "--config", config, "--json", "--no-progress"]);
    expect(res.code, res.stderr).toBe(1);
    const summary = JSON.parse(res.stdout);
    expect(summary.metrics.exposure).toBeGreaterThan(3);
    expect(summary.gates[0]).toMatchObject({ metric: "exposure", failed: true });
    expect(summary.exposure.roles[0].canaries.map((c: { id: string }) => c.id)).toEqual([
      "support-canary-08",
      "support-canary-11",
    ]);
    const runDir = join(dir, summary.runId);
    const types = events(runDir).map((e) => e.type);
    expect(types.lastIndexOf("attempt")).toBeLessThan(types.indexOf("canary.exposure"));
    expect(types.at(-1)).toBe("run.finished");
    expect(types.filter((t) => t === "canary.exposure")).toHaveLength(2);
  });
});
