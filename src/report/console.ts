import { exposureConsole } from "./exposure-render.js";
import type { Summary } from "./summary.js";
import { pct, stripControl } from "./text.js";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The plain-text table printed at the end of a scan. No terminal control codes from outputs get through. */
export function renderConsole(s: Summary, runDir: string, extra: readonly string[] = []): string {
  const lines: string[] = [];
  const t = s.target.target;
  lines.push(
    `target  ${t ? stripControl(t.id) : "?"}${s.control?.target ? `   control  ${stripControl(s.control.target.id)}` : ""}`,
  );
  const rows = [["probe", "attempts", "errors", "hits", "near", "target", "control", "diff"]];
  for (const p of s.target.probes) {
    const c = s.comparisons.find((x) => x.id === p.id);
    rows.push([
      p.skipped ? `${p.id} (skipped: ${p.skipped})` : p.id,
      String(p.attempts),
      String(p.errors),
      String(p.hits),
      String(p.nearHits),
      pct(p.hitRate),
      pct(c?.controlHitRate ?? null),
      c?.difference === null || c === undefined ? "–" : pct(c.difference),
    ]);
  }
  lines.push(stripControl(table(rows)), "");
  const byCount = s.target.extraction.byInsertCount;
  if (byCount.length) {
    const cells = byCount.map(
      (r) => `${r.insertCount === 0 ? "controls" : `x${r.insertCount}`} ${r.exact}/${r.canaries}`,
    );
    lines.push(`canaries reproduced by insert count: ${cells.join(", ")}`, "");
  }
  const own = s.target.findings;
  if (own.length) {
    lines.push(`findings (${own.length}):`);
    for (const f of own.slice(0, 20)) {
      lines.push(
        stripControl(
          `  ${f.exact ? "LEAK" : "near"}  ${f.kind.padEnd(9)} ${f.subject}  via ${f.probe}  x${f.count}  d=${f.distance.toFixed(3)}${f.controlReproduced ? "  (control reproduces it)" : f.notInData ? "  (not in your documents)" : ""}`,
        ),
      );
    }
    if (own.length > 20) lines.push(`  ... ${own.length - 20} more in the report`);
    lines.push("");
  }
  lines.push(...exposureConsole(s.exposure));
  lines.push(...extra.map(stripControl));
  for (const g of s.gates) {
    lines.push(`gate ${g.expr}: ${g.value === null ? "n/a" : g.value} -> ${g.failed ? "FAIL" : "pass"}`);
  }
  lines.push(`report: ${runDir}`);
  return lines.join("\n");
}
