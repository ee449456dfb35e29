import {
  axisBottom,
  axisLeft,
  type Frame,
  legend,
  linearScale,
  n,
  niceTicks,
  PALETTE,
  plotBottom,
  plotLeft,
  plotRight,
  plotTop,
  svgOpen,
} from "./svg.js";

const FRAME: Frame = { width: 440, height: 280, left: 52, right: 12, top: 32, bottom: 44 };

/** Equal-width bins over [lo, hi]; counts per bin for each set. */
export function histogramBins(
  a: readonly number[],
  b: readonly number[],
  bins: number,
): { lo: number; hi: number; a: number[]; b: number[] } {
  const all = [...a, ...b];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const count = (xs: readonly number[]) => {
    const out = new Array<number>(bins).fill(0);
    for (const v of xs) out[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
    return out;
  };
  return { lo, hi, a: count(a), b: count(b) };
}

/**
 * Overlaid histograms of an attack's scores for members and non-members (shared bins; higher score means
 * "more likely a member"). Well-separated humps are what a high AUC looks like.
 */
export function renderScoreHistogram(
  members: readonly number[],
  nonMembers: readonly number[],
  opts: { id: string; attack: string; bins?: number },
): string {
  const f = FRAME;
  const h = histogramBins(members, nonMembers, opts.bins ?? 24);
  const top = Math.max(1, ...h.a, ...h.b);
  const x = linearScale(h.lo, h.hi, plotLeft(f), plotRight(f));
  const y = linearScale(0, top, plotBottom(f), plotTop(f));
  const w = (plotRight(f) - plotLeft(f)) / h.a.length;
  const bars = (counts: number[], color: string, cls: string) =>
    `<g class="${cls}">${counts
      .map((c, i) =>
        c === 0
          ? ""
          : `<rect x="${n(plotLeft(f) + i * w)}" y="${n(y(c))}" width="${n(w)}" height="${n(plotBottom(f) - y(c))}" fill="${color}" fill-opacity="0.45" stroke="${color}"/>`,
      )
      .join("")}</g>`;
  return [
    svgOpen(
      f,
      opts.id,
      `Score histogram: ${opts.attack}`,
      `${members.length} member and ${nonMembers.length} non-member scores of the ${opts.attack} attack in ${h.a.length} bins.`,
    ),
    axisBottom(f, x, niceTicks(h.lo, h.hi, 5), `${opts.attack} score (higher = more likely member)`),
    axisLeft(f, y, niceTicks(0, top, 4).filter(Number.isInteger), "records"),
    bars(h.b, PALETTE[1]!, "non-members"),
    bars(h.a, PALETTE[0]!, "members"),
    legend(
      [
        { label: `members (${members.length})`, color: PALETTE[0]!, shape: "box" },
        { label: `non-members (${nonMembers.length})`, color: PALETTE[1]!, shape: "box" },
      ],
      { x: plotLeft(f), y: 12 },
      { row: true },
    ),
    "</svg>",
  ].join("");
}
