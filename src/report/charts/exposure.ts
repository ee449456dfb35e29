import { esc } from "../html/escape.js";
import {
  axisLeft,
  type Frame,
  fmtNum,
  legend,
  line,
  linearScale,
  n,
  niceTicks,
  PALETTE,
  plotBottom,
  plotLeft,
  plotRight,
  plotTop,
  svgOpen,
  text,
} from "./svg.js";

export interface ExposurePoint {
  readonly canaryId: string;
  readonly insertCount: number;
  readonly control: boolean;
  readonly interpolated: number | null;
  readonly extrapolated: number | null;
  readonly spaceBits: number | null;
}

const FRAME: Frame = { width: 620, height: 360, left: 56, right: 16, top: 36, bottom: 46 };

/**
 * Canary exposure (bits) against the number of times each canary was inserted into the training data.
 * The x axis is log2(1 + insertions), so never-planted controls sit at 0 and 1, 2, 4, 8, 16 copies are
 * evenly spaced; the dashed line is the exposure ceiling log2|R| of the secret space.
 */
export function renderExposureChart(points: readonly ExposurePoint[], opts: { id: string }): string {
  const f = FRAME;
  const counts = [...new Set(points.map((p) => p.insertCount))].sort((a, b) => a - b);
  const ceiling = Math.max(0, ...points.map((p) => p.spaceBits ?? 0));
  const top = Math.max(1, ceiling, ...points.flatMap((p) => [p.interpolated ?? 0, p.extrapolated ?? 0]));
  const xl = (c: number) => Math.log2(1 + c);
  const maxX = Math.max(1, xl(counts.at(-1) ?? 1));
  const x = linearScale(-0.3, maxX + 0.3, plotLeft(f), plotRight(f));
  const y = linearScale(0, top * 1.08, plotBottom(f), plotTop(f));
  const parts = [
    svgOpen(
      f,
      opts.id,
      "Canary exposure by insertion count",
      `Exposure in bits of ${points.length} canaries against how often each was inserted; controls were never inserted.`,
    ),
    axisLeft(f, y, niceTicks(0, top * 1.08, 5), "exposure (bits)"),
    `<g class="axis x-axis">${line(plotLeft(f), plotBottom(f), plotRight(f), plotBottom(f), "axis-line")}`,
  ];
  for (const c of counts) {
    parts.push(
      line(x(xl(c)), plotBottom(f), x(xl(c)), plotBottom(f) + 5, "tick"),
      text(x(xl(c)), plotBottom(f) + 18, c === 0 ? "0 (control)" : String(c), "middle", "tick-label"),
    );
  }
  parts.push(
    text(
      (plotLeft(f) + plotRight(f)) / 2,
      f.height - 6,
      "insertions in the training data",
      "middle",
      "axis-label",
    ),
    "</g>",
  );
  if (ceiling > 0) {
    parts.push(
      `<line class="ceiling" x1="${n(plotLeft(f))}" y1="${n(y(ceiling))}" x2="${n(plotRight(f))}" y2="${n(y(ceiling))}" stroke="#555" stroke-dasharray="6 3"/>`,
      text(
        plotLeft(f) + 4,
        y(ceiling) - 6,
        `ceiling log2|R| = ${fmtNum(ceiling)} bits`,
        "start",
        "tick-label",
      ),
    );
  }
  const seen = new Map<number, number>();
  for (const p of points) {
    const k = seen.get(p.insertCount) ?? 0;
    seen.set(p.insertCount, k + 1);
    const cx = x(xl(p.insertCount)) + ((k % 5) - 2) * 5;
    const color = p.control ? PALETTE[1]! : PALETTE[0]!;
    const dot = (v: number | null, filled: boolean, cls: string) =>
      v === null
        ? ""
        : `<circle class="${cls}" cx="${n(cx)}" cy="${n(y(v))}" r="4.5" fill="${filled ? color : "#fff"}" stroke="${color}" stroke-width="1.5"><title>${esc(`${p.canaryId}: ${fmtNum(v)} bits (${cls}), ${p.insertCount} insertion(s)`)}</title></circle>`;
    parts.push(
      `<g class="canary-point" data-canary="${esc(p.canaryId)}">${dot(p.interpolated, false, "interpolated")}${dot(p.extrapolated, true, "extrapolated")}</g>`,
    );
  }
  parts.push(
    legend(
      [
        { label: "planted: extrapolated", color: PALETTE[0]!, shape: "dot" },
        { label: "planted: interpolated", color: PALETTE[0]!, shape: "ring" },
        { label: "control (never planted)", color: PALETTE[1]!, shape: "dot" },
      ],
      { x: plotLeft(f), y: 14 },
      { row: true },
    ),
    "</svg>",
  );
  return parts.join("");
}
