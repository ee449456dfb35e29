import type { GateResult } from "../core/gate.js";
import type { RunDiff } from "./diff/types.js";
import type { ReportModel } from "./model.js";
import { countsAsEvidence, type ProbeStats } from "./summary.js";
import { pct } from "./text.js";
import { xmlAttrs, xmlEscape } from "./xml.js";

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly time?: number;
  readonly skipped?: string;
  readonly error?: { message: string; body: string };
  readonly failure?: { message: string; type: string; body: string };
  readonly out?: string;
}

function caseXml(c: Case): string {
  const inner = [
    c.skipped !== undefined ? `<skipped>${xmlEscape(c.skipped)}</skipped>` : "",
    c.error
      ? `<error${xmlAttrs({ message: c.error.message, type: "error" })}>${xmlEscape(c.error.body)}</error>`
      : "",
    c.failure
      ? `<failure${xmlAttrs({ message: c.failure.message, type: c.failure.type })}>${xmlEscape(c.failure.body)}</failure>`
      : "",
    c.out ? `<system-out>${xmlEscape(c.out)}</system-out>` : "",
  ].join("");
  const attrs = xmlAttrs({ name: c.name, classname: c.classname, time: c.time?.toFixed(3) });
  return inner ? `    <testcase${attrs}>${inner}</testcase>` : `    <testcase${attrs}/>`;
}

function suiteXml(
  name: string,
  cases: readonly Case[],
  extra: Record<string, string | undefined>,
  props = "",
): string {
  const count = (p: (c: Case) => boolean) => cases.filter(p).length;
  const time = cases.reduce((s, c) => s + (c.time ?? 0), 0);
  return [
    `  <testsuite${xmlAttrs({
      name,
      tests: cases.length,
      failures: count((c) => c.failure !== undefined),
      errors: count((c) => c.error !== undefined),
      skipped: count((c) => c.skipped !== undefined),
      time: time.toFixed(3),
      ...extra,
    })}>`,
    props,
    ...cases.map(caseXml),
    "  </testsuite>",
  ]
    .filter(Boolean)
    .join("\n");
}

function probeCase(m: ReportModel, p: ProbeStats, classname: string): Case {
  const s = m.summary;
  const own = s.target.findings.filter((f) => f.probe === p.id && countsAsEvidence(f));
  const exact = own.filter((f) => f.exact);
  const c = s.comparisons.find((x) => x.id === p.id);
  const out = [
    `attempts ${p.attempts}, errors ${p.errors}, hits ${p.hits}, near ${p.nearHits}, diverged ${p.diverged}`,
    `target hit rate ${pct(p.hitRate)}, control hit rate ${pct(c?.controlHitRate ?? null)}`,
    ...own
      .slice(0, 50)
      .map(
        (f) => `${f.exact ? "LEAK" : "near"} ${f.kind} ${f.subject} x${f.count} d=${f.distance.toFixed(3)}`,
      ),
  ].join("\n");
  const base = { name: p.id, classname, time: (m.probeMs.get(p.id) ?? 0) / 1000, out };
  if (p.skipped) return { ...base, skipped: p.skipped };
  if (p.attempts > 0 && p.errors === p.attempts)
    return { ...base, error: { message: `all ${p.attempts} attempts failed`, body: out } };
  if (exact.length === 0) return base;
  const kinds = [...new Set(exact.map((f) => f.kind))].join(", ");
  return {
    ...base,
    failure: {
      type: "leak",
      message: `${exact.length} leaked subject(s) (${kinds}); hit rate ${pct(p.hitRate)} on the target vs ${pct(c?.controlHitRate ?? null)} on the control`,
      body: out,
    },
  };
}

function gateCase(g: GateResult, classname: string): Case {
  const value = g.value === null ? "not measured" : String(g.value);
  if (g.value === null)
    return { name: g.expr, classname, skipped: `${g.metric} was not measured in this run` };
  return g.failed
    ? {
        name: g.expr,
        classname,
        failure: { type: "gate", message: `${g.metric} = ${value} meets the gate ${g.expr}`, body: "" },
      }
    : { name: g.expr, classname, out: `${g.metric} = ${value}` };
}

/**
 * JUnit XML (Jenkins / GitLab / GitHub test reporters): one test case per probe (fails on an exact leak the
 * control does not reproduce; skipped when the probe could not run) and one per gate, plus the run itself
 * (an error when it did not complete). Validated against the Jenkins JUnit schema in the tests.
 */
export function renderJunit(m: ReportModel, opts: { diff?: RunDiff } = {}): string {
  const s = m.summary;
  const target = s.target.target?.id ?? "target";
  const extra = { timestamp: m.startedAt?.replace(/\.\d+Z$/, "").replace(/Z$/, "") };
  const props = `    <properties>${[
    ["run", s.runId],
    ["target", target],
    ["control", s.control?.target?.id ?? "none"],
    ["seed", String(s.seed)],
    ["memscan", m.memscanVersion],
  ]
    .map(([name, value]) => `<property${xmlAttrs({ name, value })}/>`)
    .join("")}</properties>`;
  const probes = s.target.probes.map((p) => probeCase(m, p, `memscan.probes.${target}`));
  const gates: Case[] = [
    s.status === "completed"
      ? { name: "run completed", classname: "memscan.run" }
      : {
          name: "run completed",
          classname: "memscan.run",
          error: { message: `run ${s.status}`, body: "resume it with memscan scan --resume" },
        },
    ...s.gates.map((g) => gateCase(g, "memscan.gates")),
    ...(opts.diff?.gates ?? []).map((g) => gateCase(g, "memscan.regressions")),
  ];
  const all = [...probes, ...gates];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttrs({
      name: `memscan ${s.runId}`,
      tests: all.length,
      failures: all.filter((c) => c.failure).length,
      errors: all.filter((c) => c.error).length,
      time: all.reduce((t, c) => t + (c.time ?? 0), 0).toFixed(3),
    })}>`,
    suiteXml("memscan.probes", probes, extra, props),
    suiteXml("memscan.gates", gates, extra),
    "</testsuites>",
    "",
  ].join("\n");
}
