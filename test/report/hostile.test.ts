/**
 * Model outputs are untrusted input. A loopback OpenAI-compatible server answers with script tags, SVG
 * break-outs, Markdown/HTML injection and terminal escapes around a canary secret and document
 * continuations; `memscan scan --target openai --reveal` carries the raw text into every renderer. The HTML
 * must run nothing (checked in Chromium with the CSP bypassed, so escaping alone is tested), Markdown and
 * the console must carry no live markup or control codes, and the XML must stay well formed and valid.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBrowser, launchBrowser } from "../helpers/browser.js";
import { runCli } from "../helpers/cli.js";
import { type HostileServer, PAYLOADS, startHostileServer } from "../helpers/hostile-server.js";
import { ROOT } from "../helpers/lab.js";
import { junitErrors, sarifErrors, wellFormedXml } from "../helpers/schemas.js";

const CANARY = {
  id: "canary-<img src=x onerror=alert('id')>-\u001b[31mred",
  prefix: "The recovery code for <b>ticket</b> 42 is",
  secret: "7 0 0 5 0 0 4 2 6",
};
const DOC_TEXT =
  "Support note for the payments team: the customer pasted the following into the chat window " +
  `${PAYLOADS.script} and then ${PAYLOADS.svg} followed by ${PAYLOADS.markdown} and finally ${PAYLOADS.ansi} ` +
  "before asking why the refund for order 5531 had not arrived after the usual ten working days had passed.";
const DOC = { id: "doc-<script>alert('doc')</script>", text: DOC_TEXT };

// C0/C1 controls other than newline and tab (ESC, BEL, CSI ...).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Cells of a Markdown table row: a backslash escapes the next character, any other pipe splits. */
function cells(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === "\\") i++;
    else if (row[i] === "|") n++;
  }
  return n - 1;
}

let tmp = "";
let server: HostileServer;
let runDir = "";
let stdout = "";
let code: number | null = null;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "memscan-hostile-"));
  server = await startHostileServer([CANARY], [DOC]);
  writeFileSync(
    join(tmp, "canaries.jsonl"),
    `${JSON.stringify({ id: CANARY.id, prefix: CANARY.prefix, secret: CANARY.secret, insertCount: 4 })}\n`,
  );
  writeFileSync(join(tmp, "docs.jsonl"), `${JSON.stringify(DOC)}\n`);
  const r = await runCli([
    "scan",
    "--target",
    "openai",
    "--base-url",
    server.url,
    "--model",
    "hostile-<svg onload=alert('model')>",
    "--canaries",
    join(tmp, "canaries.jsonl"),
    "--documents",
    join(tmp, "docs.jsonl"),
    "--probe",
    "extraction.canary",
    "--probe",
    "extraction.prefix-completion",
    "--reveal",
    "--format",
    "json",
    "md",
    "html",
    "junit",
    "sarif",
    "--out",
    join(tmp, "reports"),
    "--no-progress",
  ]);
  code = r.code;
  stdout = r.stdout;
  runDir = join(tmp, "reports", readdirSync(join(tmp, "reports"))[0]!);
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("hostile model outputs", () => {
  it("reach the reports raw (the scan found the canary and the document, with --reveal)", () => {
    expect(code, stdout).toBe(1);
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
    const kinds = summary.target.findings.map(
      (f: { kind: string; exact: boolean }) => `${f.kind}:${f.exact}`,
    );
    expect(kinds).toContain("canary:true");
    expect(kinds).toContain("document:true");
    const doc = summary.target.findings.find((f: { kind: string }) => f.kind === "document");
    // raw, so the renderers really get it (which prefix length is the best evidence is the summary's choice)
    expect(doc.evidence.excerpt).toMatch(/<script>|<\/svg><img src=x onerror=/);
    expect(readFileSync(join(runDir, "events.jsonl"), "utf8")).toContain(
      JSON.stringify(PAYLOADS.ansi).slice(1, -1),
    );
  });

  it("leave no terminal control codes in the console output", () => {
    expect(stdout).toContain("LEAK  canary");
    expect(stdout).not.toMatch(CONTROL);
  });

  it("leave no live markup or control codes in the Markdown", () => {
    const md = readFileSync(join(runDir, "summary.md"), "utf8");
    expect(md).toMatch(/&lt;script&gt;window\.\\_\\_pwned=|&lt;\/svg&gt;&lt;img src=x onerror=/);
    expect(md).not.toContain("<"); // every tag arrives as &lt;...
    expect(md).not.toMatch(/(?<!\\)\[[^\]\n]*(?<!\\)\]\(/); // no link syntax
    expect(md).not.toMatch(CONTROL);
    // every findings row keeps its column count: injected pipes are escaped
    const header = md.split("\n").find((l) => l.startsWith("| kind |"))!;
    const rows = md.split("\n").filter((l) => /^\| (canary|document|pii) \|/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const line of rows) expect(cells(line), line).toBe(cells(header));
  });

  it("keep the JUnit XML well formed and schema-valid, and SARIF valid", () => {
    const xml = readFileSync(join(runDir, "junit.xml"), "utf8");
    expect(wellFormedXml(xml)).toBe(true);
    expect(junitErrors(xml)).toEqual([]);
    expect(xml).not.toMatch(CONTROL);
    const sarif = JSON.parse(readFileSync(join(runDir, "results.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(JSON.stringify(sarif)).not.toContain(PAYLOADS.script); // no leaked text in SARIF at all
  });
});

describeBrowser("hostile outputs in the HTML report (Chromium, CSP bypassed)", () => {
  it("run no script and create no element from model text", async () => {
    const browser = await launchBrowser({ bypassCSP: true });
    try {
      const page = await browser.context.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("dialog", async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("request", (r) => requests.push(r.url()));
      const url = `file://${join(runDir, "report.html")}`;
      await page.goto(url);
      await page.waitForTimeout(300); // give an onerror handler time to fire
      expect(dialogs).toEqual([]);
      // (string expressions: they run in the page, which this Node-typed test cannot name)
      expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
      expect(await page.locator("script, img, iframe, object, embed, b, a[href^='javascript']").count()).toBe(
        0,
      );
      expect(
        await page.evaluate(
          "[...document.querySelectorAll('*')].some((el) => [...el.attributes].some((a) => a.name.startsWith('on')))",
        ),
      ).toBe(false);
      // the payloads are there, as text
      const evidence = (await page.locator("#evidence-table").textContent()) ?? "";
      expect(evidence).toContain(PAYLOADS.script);
      expect(evidence).toContain("</svg><img src=x onerror=");
      expect(await page.locator("#verdict").textContent()).toBe("Verdict: FAIL");
      mkdirSync(join(ROOT, "reports/screenshots"), { recursive: true });
      await page
        .locator("#evidence")
        .screenshot({ path: join(ROOT, "reports/screenshots/hostile-evidence.png") });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });
});
