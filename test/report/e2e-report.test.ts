/**
 * End to end on a real scan of the shipped lab models (overfit fine-tune against its base, the lab's
 * canaries, membership inference over 20 + 20 of the shipped member / non-member records): every report
 * format written by `scan`, re-rendered by `report`, validated; `diff` and `history` on real run folders;
 * and the HTML report opened in headless Chromium.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { MiaResultEvent, MiaScoreEvent, ReportEvent } from "../../src/report/events.js";
import { renderHtml } from "../../src/report/html/page.js";
import { buildReportModel } from "../../src/report/model.js";
import { describeBrowser, launchBrowser } from "../helpers/browser.js";
import { runCli } from "../helpers/cli.js";
import { DEMO, ROOT } from "../helpers/lab.js";
import { runMain } from "../helpers/main.js";
import { junitErrors, sarifErrors } from "../helpers/schemas.js";
import { stageConfig } from "../helpers/stages.js";
import { exposureEvents, miaEvents } from "./fixtures.js";

let tmp = "";
let runDir = "";
let scanCode: number | null = null;
let scanOut = "";
let events: ReportEvent[] = [];
/** The attacks of the scan's MIA stage (the default set: no reference model in this config). */
const MIA_ATTACKS = ["loss", "min-k", "min-k-plus-plus"];
const miaResults = () => events.filter((e): e is MiaResultEvent => e.type === "mia.result");

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "memscan-e2e-report-"));
  const config = join(tmp, "scan.yaml");
  writeFileSync(
    config,
    [
      `target: { family: gguf, model: ${DEMO.overfit} }`,
      `control: { family: gguf, model: ${DEMO.base} }`,
      `canaries: ${DEMO.canaries}`,
      "probes: [extraction.canary]",
      `out: ${join(tmp, "reports")}`,
      "formats: [json, md, html, junit, sarif]",
      stageConfig(tmp),
    ].join("\n"),
  );
  const r = await runCli(["scan", "--config", config, "--no-progress"]);
  scanCode = r.code;
  scanOut = r.stdout + r.stderr;
  const runs = readdirSync(join(tmp, "reports"));
  runDir = join(tmp, "reports", runs[0]!);
  events = readFileSync(join(runDir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ReportEvent);
}, 300_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("memscan scan writes every configured format", () => {
  it("fails its gate on the memorized canaries and writes all files", () => {
    expect(scanCode, scanOut).toBe(1);
    expect(readdirSync(runDir)).toEqual(
      expect.arrayContaining([
        "events.jsonl",
        "junit.xml",
        "report.html",
        "results.sarif",
        "summary.json",
        "summary.md",
      ]),
    );
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
    expect(summary.metrics["canary-leaks"]).toBe(9); // lab ground truth: 9 of 10 planted canaries
  });

  it("writes SARIF and JUnit that validate against their schemas", () => {
    const sarif = JSON.parse(readFileSync(join(runDir, "results.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    const leaks = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "memscan/canary-leak");
    expect(leaks).toHaveLength(9);
    const junit = readFileSync(join(runDir, "junit.xml"), "utf8");
    expect(junitErrors(junit)).toEqual([]);
    expect(junit).toContain('<testcase name="extraction.canary" classname="memscan.probes.gguf:overfit"');
    expect(junit).toContain(
      '<failure message="9 leaked subject(s) (canary); hit rate 77.1% on the target vs 0.0% on the control"',
    );
  });
});

describe("the scan's membership-inference stage", () => {
  it("scores every record once and writes one mia.result per attack; overfit members are separated", () => {
    const scores = events.filter((e): e is MiaScoreEvent => e.type === "mia.score");
    expect(scores).toHaveLength(40); // 20 + 20
    expect(scores.filter((e) => e.label === "member")).toHaveLength(20);
    expect(new Set(scores.map((e) => e.journalKey)).size).toBe(40);
    expect(miaResults().map((e) => e.attack)).toEqual(MIA_ATTACKS);
    for (const r of miaResults()) {
      expect(r).toMatchObject({ path: "gguf", members: 20, nonMembers: 20 });
      expect(r.roc.length).toBeGreaterThan(2);
    }
    expect(miaResults().find((e) => e.attack === "loss")!.auc).toBeGreaterThanOrEqual(0.9);
  });

  it("puts the ROC curves, the histograms and the table in the HTML and Markdown reports", () => {
    const html = readFileSync(join(runDir, "report.html"), "utf8");
    expect(html).toContain('id="chart-roc"');
    expect(html.match(/class="roc-series"/g)).toHaveLength(MIA_ATTACKS.length);
    for (const a of MIA_ATTACKS) {
      expect(html).toContain(`data-attack="${a}"`);
      expect(html).toContain(`id="chart-hist-${a}"`);
    }
    expect(html).not.toContain("No membership-inference results in this run");
    const md = readFileSync(join(runDir, "summary.md"), "utf8");
    expect(md).toContain("## Membership inference");
    expect(md).toMatch(/^\| loss \| gguf \| 20 \| 20 \| /m);
  });
});

describe("memscan report re-renders the run from its events", () => {
  it.each(["html", "junit", "sarif", "md", "json"] as const)(
    "--format %s equals what scan wrote",
    async (format) => {
      const file = {
        html: "report.html",
        junit: "junit.xml",
        sarif: "results.sarif",
        md: "summary.md",
        json: "summary.json",
      }[format];
      const r = await runMain(["report", runDir, "--format", format]);
      expect(r.code).toBe(1); // the run's own gate, findings>0, fails
      expect(r.out).toBe(readFileSync(join(runDir, file), "utf8"));
    },
  );
});

describe("memscan diff and history on real runs", () => {
  it("finds no change between a run and itself, and gates accordingly", async () => {
    const same = await runMain([
      "diff",
      runDir,
      runDir,
      "--fail-on",
      "new-leaks>0",
      "--fail-on",
      "hit-rate-delta>0",
    ]);
    expect(same.code).toBe(0);
    expect(same.out).toContain("canaries: no change (12 unchanged)"); // all 12 measured by the exposure stage
    expect(same.out).toMatch(
      /SAME\s+extraction\.canary\s+0\.771 -> 0\.771\s+\+0\.000 \[\+0\.000, \+0\.000\] paired/,
    );
    expect(same.out).toContain("gate new-leaks>0: 0 -> pass");
  });

  it("rejects a regression gate without a baseline before sending anything", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["scan", "--fail-on", "new-leaks>0", "--out", join(tmp, "never")])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toContain("Expected --baseline <run folder>");
    } finally {
      err.mockRestore();
    }
  });

  it("lists past runs and names the latest as the next baseline", async () => {
    const folder = join(tmp, "reports");
    const latest = await runMain(["history", folder, "--latest"]);
    expect(latest.code).toBe(0);
    expect(latest.out.trim()).toBe(runDir);
    const text = await runMain(["history", folder]);
    expect(text.out).toMatch(new RegExp(`${runDir.split("/").at(-1)}\\s+completed\\s+gguf:overfit\\s+9`));
    const html = await runMain(["history", folder, "--format", "html"]);
    expect(html.out).toContain('id="trend-counts"');
  });
});

describeBrowser("HTML report in headless Chromium", () => {
  it("shows the verdict, the probe table and the evidence, without console errors or network", async () => {
    const shots = join(ROOT, "reports/screenshots");
    mkdirSync(shots, { recursive: true });
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => requests.push(r.url()));
      const url = `file://${join(runDir, "report.html")}`;
      await page.goto(url);
      expect(await page.locator("#verdict").textContent()).toBe("Verdict: FAIL");
      expect(await page.locator("#verdict").isVisible()).toBe(true);
      const probeRows = page.locator("#probe-table tbody tr");
      expect(await probeRows.count()).toBe(1);
      expect(await probeRows.first().textContent()).toContain("extraction.canary");
      expect(await page.locator("#chart-hit-rates").isVisible()).toBe(true);
      const evidence = page.locator("#evidence-table tbody tr");
      expect(await evidence.count()).toBe(10); // 9 exact + 1 near (one digit off)
      expect(await page.locator("#evidence-table").textContent()).toContain("[redacted 17 chars sha256:");

      const hasExposure = events.some((e) => e.type === "canary.exposure");
      expect(await page.locator("#chart-roc").isVisible()).toBe(true);
      expect(await page.locator("#chart-roc .roc-series").count()).toBe(MIA_ATTACKS.length);
      expect(await page.locator("#chart-roc").textContent()).toContain("false-positive rate (log scale)");
      expect(await page.locator("svg[id^='chart-hist-']").count()).toBe(MIA_ATTACKS.length);
      expect(await page.locator("#chart-hist-loss").isVisible()).toBe(true);
      expect(await page.locator("#mia-table tbody tr").count()).toBe(MIA_ATTACKS.length);
      if (hasExposure) {
        expect(await page.locator("#canary-table tbody tr").count()).toBe(12);
        expect(await page.locator("#chart-exposure").isVisible()).toBe(true);
      } else {
        expect(await page.locator("#exposure").textContent()).toContain(
          "No canary exposure results in this run",
        );
      }
      await page.screenshot({ path: join(shots, "report-overview.png") });
      await page.screenshot({ path: join(shots, "report-full.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });

  it("draws the ROC curves, histograms and canary exposure table from contract-typed MIA/exposure events", async () => {
    // Fixtures that follow the event contract (metrics computed by src/mia from the fixture scores), with
    // controlled separations: three attacks whose order by AUC is known, and a mild exposure table.
    const file = join(tmp, "fixture-report.html");
    // the scan's own MIA events are left out: the fixture's three attacks are the whole MIA section
    const model = buildReportModel([
      ...events.filter((e) => e.type !== "mia.score" && e.type !== "mia.result"),
      ...miaEvents({ shifts: { loss: 2.2, zlib: 1, "min-k": 1.5 } }),
      ...exposureEvents({ mild: true }),
    ]);
    writeFileSync(file, renderHtml(model));
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`file://${file}`);
      const roc = page.locator("#chart-roc");
      expect(await roc.isVisible()).toBe(true);
      expect(await roc.locator(".roc-series").count()).toBe(3);
      expect(await roc.textContent()).toContain("false-positive rate (log scale)");
      const box = await roc.boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      expect(await page.locator("svg[id^='chart-hist-']").count()).toBe(3);
      expect(await page.locator("#canary-table tbody tr").count()).toBe(12);
      expect(await page.locator("#chart-exposure .canary-point").count()).toBe(12);
      expect(await page.locator("#mia-table tbody tr").first().textContent()).toMatch(/^loss/);
      await page.locator("#mia").screenshot({ path: join(ROOT, "reports/screenshots/fixture-mia.png") });
      await page
        .locator("#exposure")
        .screenshot({ path: join(ROOT, "reports/screenshots/fixture-exposure.png") });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("reads the verdict and tables with JavaScript disabled", async () => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`file://${join(runDir, "report.html")}`);
      expect(await page.locator("#verdict").textContent()).toBe("Verdict: FAIL");
      expect(await page.locator("#gates tbody tr").first().textContent()).toContain("findings>0");
    } finally {
      await browser.close();
    }
  });
});
