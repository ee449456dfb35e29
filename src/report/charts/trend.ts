import { esc } from "../html/escape.js";
import {
  axisLeft,
  DASHES,
  type Frame,
  legend,
  line,
  linearScale,
  n,
  niceTicks,
  PALETTE,
  path,
  plotBottom,
  plotLeft,
  plotRight,
  plotTop,
  svgOpen,
  text,
} from "./svg.js";

export interface TrendSeries {
  readonly label: string;
  /** One value per run (null where the run did not measure it). */
  readonly values: readonly (number | null)[];
}

const FRAME: Frame = { width: 640, height: 320, left: 56, right: 16, top: 34, bottom: 64 };

/** Metric values across runs (oldest left), one line per metric; gaps where a run did not measure it. */
export function renderTrendChart(
  runs: readonly string[],
  series: readonly TrendSeries[],
  opts: { id: string; title: string; yLabel: string; fmt?: (v: number) => string },
): string {
  const f = FRAME;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = Math.max(1e-9, ...all);
  const x = linearScale(0, Math.max(1, runs.length - 1), plotLeft(f) + 10, plotRight(f) - 10);
  const y = linearScale(0, top * 1.1, plotBottom(f), plotTop(f));
  const parts = [
    svgOpen(f, opts.id, opts.title, `${series.map((s) => s.label).join(", ")} over ${runs.length} runs.`),
    axisLeft(f, y, niceTicks(0, top * 1.1, 5), opts.yLabel, opts.fmt),
    `<g class="axis x-axis">${line(plotLeft(f), plotBottom(f), plotRight(f), plotBottom(f), "axis-line")}`,
  ];
  const every = Math.max(1, Math.ceil(runs.length / 8));
  runs.forEach((r, i) => {
    if (i % every !== 0 && i !== runs.length - 1) return;
    parts.push(
      line(x(i), plotBottom(f), x(i), plotBottom(f) + 5, "tick"),
      `<text class="tick-label" text-anchor="end" transform="translate(${n(x(i))} ${n(plotBottom(f) + 14)}) rotate(-25)">${esc(r)}</text>`,
    );
  });
  parts.push(
    text((plotLeft(f) + plotRight(f)) / 2, f.height - 4, "run (oldest left)", "middle", "axis-label"),
    "</g>",
  );
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const segments: [number, number][][] = [[]];
    s.values.forEach((v, i) => {
      if (v === null) segments.push([]);
      else segments.at(-1)!.push([x(i), y(v)]);
    });
    parts.push(
      `<g class="trend-series" data-metric="${esc(s.label)}">`,
      ...segments.map((seg) => path(seg, color, DASHES[k % DASHES.length])),
      ...s.values.map((v, i) =>
        v === null
          ? ""
          : `<circle cx="${n(x(i))}" cy="${n(y(v))}" r="3" fill="${color}"><title>${esc(`${runs[i]}: ${s.label} ${v}`)}</title></circle>`,
      ),
      "</g>",
    );
  });
  parts.push(
    legend(
      series.map((s, k) => ({
        label: s.label,
        color: PALETTE[k % PALETTE.length]!,
        dash: DASHES[k % DASHES.length]!,
      })),
      { x: plotLeft(f), y: 14 },
      { row: true },
    ),
    "</svg>",
  );
  return parts.join("");
}
