import { exposureMarkdown } from "./exposure-render.js";
import { renderExtractionMarkdown } from "./extraction-markdown.js";
import { findingCaveat, type Summary } from "./summary.js";
import { mdCell, pct } from "./text.js";

/** The Markdown summary of a scan (`summary.md`). Every value from a model or user file is escaped. */
export function renderMarkdown(s: Summary): string {
  const out: string[] = [];
  const verdict = s.exitCode === 0 ? "PASS" : s.exitCode === 1 ? "FAIL (gate)" : "INCOMPLETE";
  out.push(`# memscan scan ${mdCell(s.runId)}`, "");
  out.push(`**Verdict: ${verdict}** (exit code ${s.exitCode}, run ${s.status}, seed ${s.seed})`, "");
  out.push("## Gates", "", "| gate | value | result |", "| --- | --- | --- |");
  for (const g of s.gates) {
    out.push(
      `| \`${mdCell(g.expr)}\` | ${g.value === null ? "n/a" : round(g.value)} | ${g.failed ? "FAIL" : "pass"} |`,
    );
  }
  out.push("");
  for (const [label, role] of [
    ["Target", s.target],
    ["Control", s.control],
  ] as const) {
    if (!role?.target) continue;
    const info = role.target;
    const caps = Object.entries(info.capabilities)
      .map(([k, v]) => `${k} ${v ? "yes" : "no"}`)
      .join(", ");
    out.push(
      `## ${label}: \`${mdCell(info.id)}\``,
      "",
      `Endpoint: ${mdCell(info.endpoint)}`,
      "",
      `Capabilities: ${caps}`,
      "",
    );
  }
  const probesRan = s.target.probes.length > 0 || !s.exposure;
  if (!probesRan) return [...out, ...exposureMarkdown(s.exposure)].join("\n");
  out.push("## Probes", "");
  out.push(
    "| probe | attempts | errors | hits | near | diverged | target hit rate | control hit rate | difference |",
  );
  out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const p of s.target.probes) {
    const c = s.comparisons.find((x) => x.id === p.id);
    const skipped = p.skipped ? ` (skipped: ${mdCell(p.skipped)})` : "";
    out.push(
      `| ${mdCell(p.id)}${skipped} | ${p.attempts} | ${p.errors} | ${p.hits} | ${p.nearHits} | ${p.diverged} | ${pct(p.hitRate)} | ${pct(c?.controlHitRate ?? null)} | ${c?.difference === null || c === undefined ? "–" : pct(c.difference)} |`,
    );
  }
  out.push("", "## Findings", "");
  if (s.target.findings.length === 0) out.push("No leaks found on the target.");
  else {
    out.push(
      "| kind | subject | probe | detector | exact | distance | score | attempts | evidence | control |",
    );
    out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const f of s.target.findings) {
      out.push(
        `| ${f.kind} | ${mdCell(f.subject)} | ${mdCell(f.probe)} | ${f.detector} | ${f.exact ? "yes" : "near"} | ${round(f.distance)} | ${round(f.score)} | ${f.count} | ${mdCell(f.evidence.excerpt)} | ${findingCaveat(f) ?? "–"} |`,
      );
    }
  }
  out.push("", ...exposureMarkdown(s.exposure));
  out.push("", ...renderExtractionMarkdown(s));
  return out.join("\n");
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}
