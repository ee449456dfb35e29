import type { Delta, ItemChange, RunDiff } from "../diff/types.js";
import { esc } from "./escape.js";
import { fixed, raw, section, table } from "./table.js";

const signed = (x: number | null) => (x === null ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(3)}`);
const interval = (d: Delta) =>
  d.low === null || d.high === null ? "–" : `[${signed(d.low)}, ${signed(d.high)}]`;
const badge = (s: string) => raw(`<span class="badge ${esc(s)}">${esc(s)}</span>`);
const state = (i: ItemChange["old"]) => (i === null ? "none" : `${i.exact ? "exact" : "near"} ×${i.count}`);

function items(title: string, id: string, list: readonly ItemChange[], unchanged: number): string {
  const head = `<h3>${esc(title)}</h3>`;
  if (list.length === 0) return `${head}<p class="muted">No change (${unchanged} unchanged).</p>`;
  return (
    head +
    table(
      ["status", "subject", "before", "after", "change"],
      list.map((i) => [
        badge(i.status),
        raw(`<code>${esc(i.subject)}</code>`),
        state(i.old),
        state(i.new),
        i.note,
      ]),
      { id },
    ) +
    `<p class="muted">${unchanged} unchanged.</p>`
  );
}

/** Changes since the baseline run: items, probes and MIA attacks with bootstrap intervals. */
export function renderDiffSection(d: RunDiff): string {
  const body = [
    `<p>Baseline <code>${esc(d.old.runId)}</code> (<code>${esc(d.old.target ?? "?")}</code>) → this run <code>${esc(d.new.runId)}</code>.</p>`,
    items("Canaries", "diff-canaries", d.canaries, d.unchanged.canary),
    items("Documents", "diff-documents", d.documents, d.unchanged.document),
    items("PII", "diff-pii", d.pii, d.unchanged.pii),
    "<h3>Probes (target hit rate)</h3>",
    table(
      ["status", "probe", "before", "after", "change", "95% interval", "paired"],
      d.probes.map((p) => [
        badge(p.status),
        p.probe,
        fixed(p.old),
        fixed(p.new),
        signed(p.delta),
        interval(p),
        p.paired ? "yes" : "no",
      ]),
      { id: "diff-probes", numeric: [2, 3, 4] },
    ),
    "<h3>Membership inference (AUC)</h3>",
    d.mia.length
      ? table(
          ["status", "attack", "before", "after", "change", "95% interval", "paired records"],
          d.mia.map((m) => [
            badge(m.status),
            m.attack,
            fixed(m.old),
            fixed(m.new),
            signed(m.delta),
            interval(m),
            m.paired ? m.pairs : "unpaired",
          ]),
          { id: "diff-mia", numeric: [2, 3, 4] },
        )
      : '<p class="muted">Not measured in either run.</p>',
  ];
  return section("diff", "Changes since the baseline", body.join("\n"));
}
