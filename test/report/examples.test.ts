/**
 * The scheduled-scan examples in reports/examples/: the GitHub Actions workflow is well formed and does
 * what reports/README.md says; the cron script really runs twice against the shipped models (the base
 * model first, which becomes the baseline, then the overfit fine-tune, which regresses) and fails the
 * second time.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEMO, ROOT } from "../helpers/lab.js";

const EXAMPLES = join(ROOT, "reports/examples");
/** A GitHub Actions expression, `${{ ... }}`. */
const gh = (expr: string) => ["$", "{{ ", expr, " }}"].join("");

describe("GitHub Actions example", () => {
  const wf = parse(readFileSync(join(EXAMPLES, "github-actions/memscan-scheduled.yml"), "utf8"));
  const steps = wf.jobs.scan.steps as { uses?: string; run?: string; with?: Record<string, string> }[];
  const uses = steps.map((s) => s.uses?.split("@")[0]).filter(Boolean);

  it("runs on a schedule and may upload SARIF", () => {
    expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(wf.permissions["security-events"]).toBe("write");
  });

  it("restores past runs, scans against the latest as baseline, uploads HTML and SARIF, fails on regressions", () => {
    expect(uses).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "actions/cache/restore",
      "actions/cache/save",
      "actions/upload-artifact",
      "github/codeql-action/upload-sarif",
    ]);
    const run = steps.map((s) => s.run ?? "").join("\n");
    expect(run).toContain('memscan history "$REPORTS" --latest');
    expect(run).toContain(`--baseline "${gh("steps.baseline.outputs.dir")}" --fail-on "new-leaks>0"`);
    expect(run).toContain("--format json md html junit sarif");
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with?.path).toContain(
      "report.html",
    );
    expect(
      steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))?.with?.sarif_file,
    ).toContain("results.sarif");
    expect(steps.at(-1)?.run).toContain(`exit ${gh("steps.scan.outputs.code")}`);
  });
});

describe("cron example", () => {
  let tmp = "";
  const runScript = (config: string) =>
    new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn("bash", [join(EXAMPLES, "cron/memscan-nightly.sh")], {
        cwd: tmp,
        env: {
          ...process.env,
          NO_COLOR: "1",
          // the real CLI from source; tsx by absolute path, since the script runs in another folder
          MEMSCAN: `${process.execPath} --import ${pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href} ${join(ROOT, "src/cli/run.ts")}`,
          MEMSCAN_CONFIG: config,
          MEMSCAN_PUBLISH: join(tmp, "public"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out }));
    });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "memscan-cron-"));
    for (const [name, model] of [
      ["base", DEMO.base],
      ["overfit", DEMO.overfit],
    ]) {
      writeFileSync(
        join(tmp, `${name}.yaml`),
        [
          `target: { family: gguf, model: ${model} }`,
          `canaries: ${DEMO.canaries}`,
          "probes: [{ id: extraction.canary, params: { samples: 0 } }]",
        ].join("\n"),
      );
    }
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("makes the first run the baseline, then fails on the leaks a new model adds", async () => {
    const first = await runScript("base.yaml");
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain("this run becomes the baseline");
    const second = await runScript("overfit.yaml");
    expect(second.code, second.out).toBe(1);
    expect(second.out).toMatch(/comparing with baseline .*reports\/\d{8}T\d{6}Z-[0-9a-f]{6}/);
    expect(second.out).toContain("gate new-leaks>0: 9 -> FAIL");
    for (const f of ["report.html", "results.sarif", "history.html"])
      expect(existsSync(join(tmp, "public", f))).toBe(true);
    expect(readFileSync(join(tmp, "public/history.html"), "utf8").match(/<tr><td>\d{8}T/g)).toHaveLength(2);
  }, 300_000);
});
