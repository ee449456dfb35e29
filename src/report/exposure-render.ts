import type { ExposureGroup, ExposureRow, ExposureSection } from "./exposure-summary.js";
import { mdCell, pct, stripControl } from "./text.js";

const bits = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : x.toFixed(2));
const copies = (g: { control: boolean; insertCount: number }): string =>
  g.control ? "control" : String(g.insertCount);

function ceilingNote(rows: readonly ExposureRow[]): string {
  const ranked = rows.filter((r) => r.method === "rank" && r.references > 0);
  if (ranked.length === 0) {
    return "Method generation (the target gives no prompt logprobs): emission rate of the secret from the prefix, greedy and seeded samples, with its exact one-sided 95% upper bound; no rank, no exposure.";
  }
  const n = Math.min(...ranked.map((r) => r.references));
  const space = ranked.find((r) => r.spaceBits !== null)?.spaceBits ?? null;
  return `Method rank: ${n} reference secrets per canary. Interpolation saturates at log2 N = ${bits(Math.log2(n))} bits; extrapolation (skew-normal fit, −log2 CDF) can go beyond it, capped at log2 |space|${space === null ? "" : ` = ${bits(space)} bits`}.`;
}

function groupCells(g: ExposureGroup): string[] {
  const emission = g.samples ? `${g.hits}/${g.samples}` : "–";
  return [
    copies(g),
    String(g.canaries),
    bits(g.meanInterpolated),
    bits(g.meanExtrapolated),
    bits(g.maxExtrapolated),
    emission,
  ];
}

function rowCells(r: ExposureRow): string[] {
  const e = r.emission;
  return [
    r.id,
    copies(r),
    r.method,
    r.rank === null ? "–" : `${r.rank}/${r.references + 1}`,
    bits(r.exposureInterpolated),
    bits(r.exposureExtrapolated),
    bits(r.exposureExtrapolatedRaw),
    e ? `${e.hits}/${e.samples} (≤ ${pct(e.upper)})${e.greedy ? ", greedy" : ""}` : "–",
    r.error ?? "",
  ];
}

/** The `## Canary exposure` section of summary.md: per role, groups by insertion count, then each canary. */
export function exposureMarkdown(section: ExposureSection | undefined): string[] {
  if (!section) return [];
  const out = ["## Canary exposure", ""];
  for (const role of section.roles) {
    out.push(`### ${role.role}`, "", ceilingNote(role.canaries), "");
    out.push(
      "| copies | canaries | mean interpolated (bits) | mean extrapolated (bits) | max extrapolated | emissions |",
    );
    out.push("| --- | --- | --- | --- | --- | --- |");
    for (const g of role.groups) out.push(`| ${groupCells(g).join(" | ")} |`);
    out.push(
      "",
      "| canary | copies | method | rank | interpolated | extrapolated | uncapped | emission | error |",
    );
    out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of role.canaries) out.push(`| ${rowCells(r).map(mdCell).join(" | ")} |`);
    out.push("");
  }
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

/** Console lines: per role, the groups by insertion count, then (up to 30) canaries. */
export function exposureConsole(section: ExposureSection | undefined): string[] {
  if (!section) return [];
  const out: string[] = [];
  for (const role of section.roles) {
    out.push(`canary exposure (${role.role}): ${ceilingNote(role.canaries)}`);
    out.push(
      ...table([
        ["copies", "canaries", "mean interp", "mean extrap", "max extrap", "emissions"],
        ...role.groups.map(groupCells),
      ]).map((l) => `  ${l}`),
    );
    const shown = role.canaries.slice(0, 30);
    out.push(
      ...table([
        ["canary", "copies", "method", "rank", "interp", "extrap", "uncapped", "emission", "error"],
        ...shown.map(rowCells),
      ]).map((l) => `  ${stripControl(l)}`),
    );
    if (role.canaries.length > shown.length)
      out.push(`  ... ${role.canaries.length - shown.length} more in the report`);
    out.push("");
  }
  return out;
}
