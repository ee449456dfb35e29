import { esc } from "../html/escape.js";
import {
  axisBottom,
  axisLeft,
  DASHES,
  decadeTicks,
  type Frame,
  fmtNum,
  legend,
  legendWidth,
  linearScale,
  logScale,
  PALETTE,
  path,
  plotBottom,
  plotLeft,
  plotRight,
  plotTop,
  svgOpen,
} from "./svg.js";

export interface RocSeries {
  readonly label: string;
  /** [fpr, tpr] points, ascending fpr. */
  readonly roc: readonly (readonly [number, number])[];
  readonly auc: number;
  readonly aucLow?: number;
  readonly aucHigh?: number;
}

const FRAME: Frame = { width: 560, height: 380, left: 58, right: 16, top: 14, bottom: 46 };

/**
 * ROC curves on a log-scale FPR axis (the low-FPR regime is where membership inference matters), with the
 * chance diagonal. The FPR axis starts one decade below 1/nonMembers' resolution (at least 1e-4), and an
 * FPR of 0 is drawn at the left edge.
 */
export function renderRocChart(
  series: readonly RocSeries[],
  opts: { id: string; nonMembers: number },
): string {
  const f = FRAME;
  const minFpr = 10 ** Math.max(-4, Math.floor(Math.log10(1 / Math.max(1, opts.nonMembers))));
  const x = logScale(minFpr, 1, plotLeft(f), plotRight(f));
  const y = linearScale(0, 1, plotBottom(f), plotTop(f));
  const parts = [
    svgOpen(
      f,
      opts.id,
      "ROC curves (log-scale false-positive rate)",
      `True-positive rate against false-positive rate for ${series.length} membership-inference attack(s); the dotted curve is chance.`,
    ),
    axisBottom(f, x, decadeTicks(minFpr, 1), "false-positive rate (log scale)", fmtNum),
    axisLeft(f, y, [0, 0.2, 0.4, 0.6, 0.8, 1], "true-positive rate"),
  ];
  const chance: [number, number][] = [];
  for (let e = Math.log10(minFpr); e <= 0.0001; e += 0.05) chance.push([x(10 ** e), y(10 ** e)]);
  parts.push(path(chance, "#888", "2 3", "chance"));
  series.forEach((s, i) => {
    const pts = s.roc.map(([fp, tp]) => [x(Math.max(fp, minFpr)), y(tp)] as const);
    parts.push(
      `<g class="roc-series" data-attack="${esc(s.label)}">${path(pts, PALETTE[i % PALETTE.length]!, DASHES[i % DASHES.length])}</g>`,
    );
  });
  const items = [
    ...series.map((s, i) => ({
      label: `${s.label}: AUC ${s.auc.toFixed(3)}${s.aucLow !== undefined && s.aucHigh !== undefined ? ` [${s.aucLow.toFixed(2)}, ${s.aucHigh.toFixed(2)}]` : ""}`,
      color: PALETTE[i % PALETTE.length]!,
      dash: DASHES[i % DASHES.length]!,
    })),
    { label: "chance", color: "#888", dash: "2 3" },
  ];
  parts.push(
    legend(items, { x: plotRight(f) - legendWidth(items) - 6, y: plotBottom(f) - items.length * 16 - 12 }),
    "</svg>",
  );
  return parts.join("");
}
