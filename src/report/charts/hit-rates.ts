import { esc } from "../html/escape.js";
import { type Frame, fmtPct, legend, linearScale, n, PALETTE, text } from "./svg.js";

export interface HitRateRow {
  readonly probe: string;
  readonly target: number;
  /** Null without a control (or when the control skipped the probe). */
  readonly control: number | null;
}

/**
 * Horizontal grouped bars: per probe, the hit rate on the target and on the control. A memorizing
 * fine-tune shows long target bars over short control bars.
 */
export function renderHitRateChart(
  rows: readonly HitRateRow[],
  opts: { id: string; control: boolean },
): string {
  const band = 34;
  const left = Math.min(260, 16 + Math.max(8, ...rows.map((r) => r.probe.length)) * 6.6);
  const f: Frame = { width: 640, height: 70 + rows.length * band, left, right: 60, top: 40, bottom: 36 };
  const x = linearScale(0, 1, f.left, f.width - f.right);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(opts.id)}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-labelledby="${esc(opts.id)}-t">`,
    `<title id="${esc(opts.id)}-t">Hit rate per probe, target${opts.control ? " against control" : ""}</title>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line class="grid" x1="${n(x(t))}" y1="${f.top - 4}" x2="${n(x(t))}" y2="${f.height - f.bottom}"/>`,
      text(x(t), f.height - f.bottom + 16, fmtPct(t), "middle", "tick-label"),
    );
  }
  parts.push(
    text((x(0) + x(1)) / 2, f.height - 6, "hit rate (attempts with an exact leak)", "middle", "axis-label"),
  );
  rows.forEach((r, i) => {
    const y0 = f.top + i * band;
    parts.push(text(f.left - 8, y0 + 18, r.probe, "end", "bar-label"));
    const bar = (v: number | null, dy: number, color: string, cls: string) =>
      v === null
        ? text(x(0) + 4, y0 + dy + 10, "no control", "start", "tick-label")
        : `<rect class="${cls}" x="${n(x(0))}" y="${n(y0 + dy)}" width="${n(Math.max(1, x(v) - x(0)))}" height="12" fill="${color}"/>` +
          text(x(v) + 4, y0 + dy + 10, fmtPct(v), "start", "tick-label");
    parts.push(bar(r.target, 2, PALETTE[0]!, "bar-target"));
    if (opts.control) parts.push(bar(r.control, 16, PALETTE[4]!, "bar-control"));
  });
  parts.push(
    legend(
      [
        { label: "target", color: PALETTE[0]!, shape: "box" },
        ...(opts.control ? [{ label: "control", color: PALETTE[4]!, shape: "box" as const }] : []),
      ],
      { x: f.left, y: 14 },
      { row: true },
    ),
    "</svg>",
  );
  return parts.join("");
}
