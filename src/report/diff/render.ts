import { mdCell, stripControl } from "../text.js";
import type { Delta, ItemChange, RunDiff } from "./types.js";

const f3 = (x: number | null) => (x === null ? "–" : x.toFixed(3));
const signed = (x: number | null, digits = 3) =>
  x === null ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const ci = (d: Delta) => (d.low === null || d.high === null ? "" : ` [${signed(d.low)}, ${signed(d.high)}]`);

function state(i: ItemChange["old"]): string {
  return i === null ? "none" : `${i.exact ? "exact" : "near"} x${i.count}`;
}

/** Items listed per category in the terminal (all of them are in diff.json / diff.md). */
export const TEXT_ITEMS = 25;

function itemLines(label: string, items: readonly ItemChange[], unchanged: number): string[] {
  if (items.length === 0) return [`${label}: no change (${unchanged} unchanged)`];
  const more =
    items.length > TEXT_ITEMS ? [`  ... ${items.length - TEXT_ITEMS} more in diff.md / --format json`] : [];
  return [
    `${label} (${items.length} changed, ${unchanged} unchanged):`,
    ...items
      .slice(0, TEXT_ITEMS)
      .map(
        (i) =>
          `  ${i.status.toUpperCase().padEnd(5)} ${i.subject}  ${state(i.old)} -> ${state(i.new)}${i.note ? `  (${i.note})` : ""}`,
      ),
    ...more,
  ];
}

/** Plain-text diff for the terminal; no control codes from either run get through. */
export function renderDiffText(d: RunDiff): string {
  const lines = [
    `diff ${d.old.runId} (${d.old.target ?? "?"}) -> ${d.new.runId} (${d.new.target ?? "?"})`,
    ...itemLines("canaries", d.canaries, d.unchanged.canary),
    ...itemLines("documents", d.documents, d.unchanged.document),
    ...itemLines("pii", d.pii, d.unchanged.pii),
    "probes (target hit rate, delta with 95% bootstrap interval):",
    ...d.probes.map(
      (p) =>
        `  ${p.status.toUpperCase().padEnd(5)} ${p.probe}  ${f3(p.old)} -> ${f3(p.new)}  ${signed(p.delta)}${ci(p)}${p.paired ? " paired" : ""}`,
    ),
  ];
  if (d.mia.length) {
    lines.push(
      "membership inference (AUC, delta with 95% bootstrap interval):",
      ...d.mia.map(
        (m) =>
          `  ${m.status.toUpperCase().padEnd(5)} ${m.attack}  ${f3(m.old)} -> ${f3(m.new)}  ${signed(m.delta)}${ci(m)}${m.paired ? ` paired over ${m.pairs} records` : " unpaired"}`,
      ),
    );
  } else lines.push("membership inference: not measured in either run");
  for (const g of d.gates) {
    lines.push(
      `gate ${g.expr}: ${g.value === null ? "not measured" : g.value} -> ${g.failed ? "FAIL" : "pass"}`,
    );
  }
  return stripControl(lines.join("\n"));
}

function mdItems(label: string, items: readonly ItemChange[], unchanged: number): string[] {
  const out = [`## ${label}`, ""];
  if (items.length === 0) return [...out, `No change (${unchanged} unchanged).`, ""];
  out.push("| status | subject | before | after | change |", "| --- | --- | --- | --- | --- |");
  for (const i of items) {
    out.push(
      `| ${i.status} | ${mdCell(i.subject)} | ${state(i.old)} | ${state(i.new)} | ${mdCell(i.note)} |`,
    );
  }
  return [...out, "", `${unchanged} unchanged.`, ""];
}

/** The diff as Markdown (`diff.md`). Every subject is escaped. */
export function renderDiffMarkdown(d: RunDiff): string {
  const failed = d.gates.filter((g) => g.failed);
  const out = [
    `# memscan diff ${mdCell(d.old.runId)} → ${mdCell(d.new.runId)}`,
    "",
    `Baseline \`${mdCell(d.old.target ?? "?")}\`, candidate \`${mdCell(d.new.target ?? "?")}\`. ` +
      `**${failed.length ? `Regression gates failed: ${failed.map((g) => `\`${mdCell(g.expr)}\``).join(", ")}` : "No regression gate failed"}.**`,
    "",
    ...mdItems("Canaries", d.canaries, d.unchanged.canary),
    ...mdItems("Documents", d.documents, d.unchanged.document),
    ...mdItems("PII", d.pii, d.unchanged.pii),
    "## Probes (target hit rate)",
    "",
    "| status | probe | before | after | change | 95% interval | paired |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...d.probes.map(
      (p) =>
        `| ${p.status} | ${mdCell(p.probe)} | ${f3(p.old)} | ${f3(p.new)} | ${signed(p.delta)} | ${ci(p).trim() || "–"} | ${p.paired ? "yes" : "no"} |`,
    ),
    "",
    "## Membership inference (AUC)",
    "",
  ];
  if (d.mia.length === 0) out.push("Not measured in either run.", "");
  else {
    out.push(
      "| status | attack | before | after | change | 95% interval | paired records |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const m of d.mia)
      out.push(
        `| ${m.status} | ${mdCell(m.attack)} | ${f3(m.old)} | ${f3(m.new)} | ${signed(m.delta)} | ${ci(m).trim() || "–"} | ${m.paired ? m.pairs : "unpaired"} |`,
      );
    out.push("");
  }
  out.push("## Metrics", "", "| metric | before | after | change |", "| --- | --- | --- | --- |");
  for (const m of d.metrics)
    out.push(`| ${mdCell(m.metric)} | ${f3(m.old)} | ${f3(m.new)} | ${signed(m.delta)} |`);
  out.push("", "## Regression gates", "", "| gate | value | result |", "| --- | --- | --- |");
  for (const g of d.gates)
    out.push(
      `| \`${mdCell(g.expr)}\` | ${g.value === null ? "not measured" : f3(g.value)} | ${g.failed ? "FAIL" : "pass"} |`,
    );
  out.push("");
  return out.join("\n");
}
