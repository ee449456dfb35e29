import type { BenchRow } from "./bench.js";

function fmt(n: number | undefined): string {
  if (n === undefined) return "";
  if (n === 0) return "0";
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 1 ? n.toFixed(3) : n.toPrecision(3);
}

/** Render rows as a plain-text table (a string; the caller prints it). */
export function formatTable(title: string, rows: readonly BenchRow[]): string {
  const header = ["case", "value", "unit", "baseline", "ratio", "goal", "pass"];
  const cells = rows.map((r) => [
    r.case,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    fmt(r.ratio),
    r.goal ?? "",
    r.pass === undefined ? "" : r.pass ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [`## ${title}`, line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
