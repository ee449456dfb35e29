import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.js";
import { buildReportModel } from "../../src/report/model.js";
import { FINGERPRINT_KEY, fingerprint, renderSarif } from "../../src/report/sarif.js";
import { SARIF_RULES } from "../../src/report/sarif-rules.js";
import { junitErrors, sarifErrors, wellFormedXml } from "../helpers/schemas.js";
import { exposureEvents, miaEvents, scanEvents } from "./fixtures.js";

const leaks = [
  { subject: "support-canary-03" },
  { subject: "support-canary-05", exact: false },
  { subject: "email:0177084d97d1", kind: "pii" as const, probe: "divergence.repeat-word" },
  { subject: "doc-7", kind: "document" as const, probe: "divergence.repeat-word" },
];
const probes = ["extraction.canary", "divergence.repeat-word"];

describe("SARIF 2.1.0", () => {
  const events = [...scanEvents({ leaks, probes }), ...miaEvents(), ...exposureEvents()];

  it("validates against the official SARIF 2.1.0 schema", () => {
    const log = JSON.parse(renderSarif(buildReportModel(events)));
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    // The validator is real: a broken log fails.
    expect(sarifErrors({ ...log, version: "2.0.0" }).length).toBeGreaterThan(0);
    expect(sarifErrors({ version: "2.1.0", runs: [{ results: [] }] }).length).toBeGreaterThan(0);
  });

  it("has one result per leaked subject under a stable rule id, and the failed gate", () => {
    const log = JSON.parse(renderSarif(buildReportModel(events)));
    const results = log.runs[0].results as { ruleId: string; partialFingerprints: Record<string, string> }[];
    const ids = results.map((r) => r.ruleId).sort();
    expect(ids).toEqual(
      [
        "memscan/canary-leak",
        "memscan/canary-near-leak",
        "memscan/document-extracted",
        "memscan/membership-signal",
        "memscan/membership-signal",
        "memscan/pii-emitted",
        "memscan/scan-gate-failed",
      ].sort(),
    );
    const canary = results.find((r) => r.ruleId === "memscan/canary-leak")!;
    expect(canary.partialFingerprints[FINGERPRINT_KEY]).toBe(
      fingerprint("memscan/canary-leak", "support-canary-03"),
    );
    // rule ids are unique and indexed
    expect(new Set(SARIF_RULES.map((r) => r.id)).size).toBe(SARIF_RULES.length);
    for (const r of log.runs[0].results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it("keeps fingerprints stable across runs (other run id, attempt order, probe counts)", () => {
    const a = JSON.parse(renderSarif(buildReportModel(scanEvents({ leaks, probes }))));
    const b = JSON.parse(
      renderSarif(
        buildReportModel(
          scanEvents({ runId: "20261201T000000Z-bbbbbb", leaks: [...leaks].reverse(), probes, attempts: 12 }),
        ),
      ),
    );
    const fp = (log: {
      runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    }) => new Map(log.runs[0]!.results.map((r) => [r.partialFingerprints[FINGERPRINT_KEY], r.ruleId]));
    expect(fp(b)).toEqual(fp(a));
    expect(fp(a).size).toBe(5);
  });

  it("never puts leaked text in the log, even from a --reveal run", () => {
    const revealed = scanEvents({
      leaks: [{ subject: "support-canary-03", excerpt: "7 0 0 5 0 0 4 2 6" }],
      reveal: true,
    });
    const text = renderSarif(buildReportModel(revealed, { reveal: true }));
    expect(text).not.toContain("7 0 0 5 0 0 4 2 6");
    expect(text).toContain("support-canary-03");
  });

  it("points canary results at the canary manifest relative to the root", () => {
    const log = JSON.parse(renderSarif(buildReportModel(events), { root: process.cwd() }));
    const canary = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "memscan/canary-leak");
    expect(canary.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "canaries/demo/canaries.jsonl",
      uriBaseId: "%SRCROOT%",
    });
  });
});

describe("JUnit XML", () => {
  it("validates against the Jenkins JUnit schema with a test case per probe and per gate", () => {
    const events = scanEvents({ leaks, probes, failOn: ["findings>0", "error-rate>0.5"] });
    const xml = renderJunit(buildReportModel(events));
    expect(junitErrors(xml)).toEqual([]);
    const cases = [...xml.matchAll(/<testcase name="([^"]+)" classname="([^"]+)"/g)].map(
      (m) => `${m[2]}/${m[1]}`,
    );
    expect(cases).toEqual([
      "memscan.probes.gguf:overfit/divergence.repeat-word",
      "memscan.probes.gguf:overfit/extraction.canary",
      "memscan.run/run completed",
      "memscan.gates/findings&gt;0",
      "memscan.gates/error-rate&gt;0.5",
    ]);
    expect(xml).toMatch(/<testsuite name="memscan.probes" tests="2" failures="2"/);
    expect(xml).toMatch(/<testsuite name="memscan.gates" tests="3" failures="1" errors="0"/);
    // The validator is real: a testcase without a name is rejected.
    expect(junitErrors(xml.replace(/<testcase name="[^"]+"/, "<testcase")).length).toBeGreaterThan(0);
  });

  it("marks a skipped probe skipped, an interrupted run an error, and stays well formed on hostile names", () => {
    const hostile = "<x>&\"'\u001b[31m\u0007\uFFFF\uD800]]>";
    const events = scanEvents({
      leaks: [{ subject: hostile }],
      probes: [`extraction.${hostile}`],
      status: "interrupted",
    });
    events.push({
      v: 1,
      time: "2026-11-22T10:15:01.000Z",
      type: "probe.skipped",
      role: "target",
      probe: "extraction.attribute",
      reason: "needs documents",
    });
    const xml = renderJunit(buildReportModel(events));
    expect(wellFormedXml(xml)).toBe(true);
    expect(junitErrors(xml)).toEqual([]);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain("<skipped>needs documents</skipped>");
    expect(xml).toMatch(
      /<testcase name="run completed" classname="memscan.run"><error message="run interrupted"/,
    );
  });
});
