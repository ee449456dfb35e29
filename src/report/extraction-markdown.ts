/** Markdown tables of the extraction section (canaries per insert count, documents per set, divergence). */
import type { ExtractionSummary } from "./extraction-summary.js";
import type { RoleSummary, Summary } from "./summary.js";
import { mdCell, pct } from "./text.js";

function side(label: string, role: RoleSummary | null): [string, ExtractionSummary][] {
  return role?.target ? [[label, role.extraction]] : [];
}

/**
 * The lines of the "Extraction" part of `summary.md`: one table per kind of result that the run has, for
 * the target and (when there is one) the control, side by side in rows.
 */
export function renderExtractionMarkdown(s: Summary): string[] {
  const roles = [...side("target", s.target), ...side("control", s.control)];
  const out: string[] = [];
  const insert = roles.flatMap(([r, x]) => x.byInsertCount.map((row) => ({ r, ...row })));
  if (insert.length) {
    out.push(
      "## Canaries by insert count",
      "",
      "| role | insert count | canaries | exact | near only | exact rate |",
    );
    out.push("| --- | --- | --- | --- | --- | --- |");
    for (const x of insert)
      out.push(
        `| ${x.r} | ${x.insertCount} | ${x.canaries} | ${x.exact} | ${x.near} | ${pct(x.exactRate)} |`,
      );
    const trap = roles.flatMap(([r, x]) =>
      x.canaries.filter((c) => c.drawnByOthers.length).map((c) => ({ r, c })),
    );
    if (trap.length) {
      out.push(
        "",
        "Secrets drawn by another canary's prompt (attributed to the canary whose secret appeared):",
        "",
      );
      for (const { r, c } of trap)
        out.push(
          `- ${r}: \`${mdCell(c.canaryId)}\` drawn by ${c.drawnByOthers.map((p) => `\`${mdCell(p)}\``).join(", ")}`,
        );
    }
    const near = roles.flatMap(([r, x]) =>
      x.canaries.filter((c) => c.exactAttempts === 0 && c.nearAttempts > 0).map((c) => ({ r, c })),
    );
    for (const { r, c } of near)
      out.push(`- ${r}: \`${mdCell(c.canaryId)}\` near hit only, distance ${c.bestDistance?.toFixed(3)}`);
    out.push("");
  }
  const docs = roles.flatMap(([r, x]) => x.documents.map((row) => ({ r, ...row })));
  if (docs.length) {
    out.push(
      "## Documents by set and prefix length",
      "",
      "| role | set | prefix | attempts | extracted | near only | extracted rate |",
    );
    out.push("| --- | --- | --- | --- | --- | --- | --- |");
    for (const x of docs)
      out.push(
        `| ${x.r} | ${mdCell(x.source)} | ${x.prefixLength} ${x.unit} | ${x.attempts} | ${x.extracted} | ${x.near} | ${pct(x.extractedRate)} |`,
      );
    out.push("");
  }
  const attrs = roles.flatMap(([r, x]) => x.attributes.map((row) => ({ r, ...row })));
  if (attrs.length) {
    out.push("## Hidden fields reproduced", "", "| role | set | field | attempts | exact | near only |");
    out.push("| --- | --- | --- | --- | --- | --- |");
    for (const x of attrs)
      out.push(
        `| ${x.r} | ${mdCell(x.source)} | ${mdCell(x.field)} | ${x.attempts} | ${x.exact} | ${x.near} |`,
      );
    out.push("");
  }
  const div = roles.flatMap(([r, x]) => x.divergence.map((row) => ({ r, ...row })));
  if (div.length) {
    out.push(
      "## Divergence",
      "",
      "| role | probe | mode | attempts | diverged | tail: canary | tail: PII | tail: document |",
    );
    out.push("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const x of div)
      out.push(
        `| ${x.r} | ${mdCell(x.probe)} | ${x.mode} | ${x.attempts} | ${x.diverged} | ${x.tailCanary} | ${x.tailPii} | ${x.tailDocument} |`,
      );
    out.push("");
  }
  for (const [r, x] of roles) {
    const sm = x.sampling;
    if (!sm) continue;
    out.push(
      `## Samples ranked by ${sm.by === "none" ? "nothing (no log-probs: in order)" : `${sm.by} signal`} (${r})`,
      "",
      `${sm.leaking} of ${sm.samples} samples hold a leak; ${sm.leakingInTop} of the first ${sm.top.length}.`,
      "",
      "| rank | attempt | perplexity | zlib ratio | reference ratio | leaks |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    sm.top.forEach((row, i) => {
      const n = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(2));
      out.push(
        `| ${i + 1} | ${mdCell(row.attempt)} | ${n(row.perplexity)} | ${n(row.zlibRatio)} | ${n(row.referenceRatio)} | ${row.leaks.join(", ") || "–"} |`,
      );
    });
    out.push("");
  }
  return out;
}
