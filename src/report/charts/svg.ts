/**
 * Plain-SVG chart primitives shared by every chart: scales, ticks, axes, legends. Charts are strings of
 * inline SVG (no library, no script, no network), so a report is one self-contained file that renders the
 * same in any browser and in a file viewer. Every label passes through `esc`.
 */
import { esc } from "../html/escape.js";

/** Colour-blind-safe palette (Okabe–Ito), in the order series take it. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
];
/** Dash patterns that tell series apart without colour. */
export const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

export type Scale = (v: number) => number;

/** Drawing area: total size and margins (the plot is the inside). */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const plotLeft = (f: Frame) => f.left;
export const plotRight = (f: Frame) => f.width - f.right;
export const plotTop = (f: Frame) => f.top;
export const plotBottom = (f: Frame) => f.height - f.bottom;

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Base-10 log scale; values at or below 0 are clamped to d0. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(d0);
  const span = Math.log10(d1) - l0 || 1;
  return (v) => r0 + ((Math.log10(Math.max(v, d0)) - l0) / span) * (r1 - r0);
}

/** About `count` round tick values within [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  // d3's rule: the multiple of 1, 2 or 5 whose tick count is closest to `count` on a log scale
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const e = raw / mag;
  const step = (e >= Math.sqrt(50) ? 10 : e >= Math.sqrt(10) ? 5 : e >= Math.SQRT2 ? 2 : 1) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(round(v, step));
  return out;
}

/** Powers of ten from lo to hi inclusive (lo, hi powers of ten). */
export function decadeTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

function round(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 12)));
}

/** A compact number label: 0.001, 0.25, 12, 1.5k. */
export function fmtNum(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 10_000) return `${(v / 1000).toFixed(0)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return Number(v.toFixed(2)).toString();
  return Number(v.toPrecision(2)).toString();
}

export const fmtPct = (v: number): string => `${Number((v * 100).toFixed(1))}%`;

/** Open an accessible SVG (role img, title and description read by screen readers and shown as tooltip). */
export function svgOpen(f: Frame, id: string, title: string, desc: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(id)}" viewBox="0 0 ${f.width} ${f.height}" ` +
    `width="${f.width}" height="${f.height}" role="img" aria-labelledby="${esc(id)}-t ${esc(id)}-d">` +
    `<title id="${esc(id)}-t">${esc(title)}</title><desc id="${esc(id)}-d">${esc(desc)}</desc>`
  );
}

/** Bottom axis with tick marks, tick labels, grid lines and an axis label. */
export function axisBottom(
  f: Frame,
  x: Scale,
  ticks: readonly number[],
  label: string,
  fmt = fmtNum,
): string {
  const y = plotBottom(f);
  const parts = [`<g class="axis x-axis">`, line(plotLeft(f), y, plotRight(f), y, "axis-line")];
  for (const t of ticks) {
    const px = x(t);
    parts.push(
      line(px, plotTop(f), px, y, "grid"),
      line(px, y, px, y + 5, "tick"),
      text(px, y + 18, fmt(t), "middle", "tick-label"),
    );
  }
  parts.push(text((plotLeft(f) + plotRight(f)) / 2, f.height - 6, label, "middle", "axis-label"), "</g>");
  return parts.join("");
}

/** Left axis with tick marks, tick labels, grid lines and a rotated axis label. */
export function axisLeft(f: Frame, y: Scale, ticks: readonly number[], label: string, fmt = fmtNum): string {
  const x = plotLeft(f);
  const parts = [`<g class="axis y-axis">`, line(x, plotTop(f), x, plotBottom(f), "axis-line")];
  for (const t of ticks) {
    const py = y(t);
    parts.push(
      line(x, py, plotRight(f), py, "grid"),
      line(x - 5, py, x, py, "tick"),
      text(x - 8, py + 4, fmt(t), "end", "tick-label"),
    );
  }
  const cy = (plotTop(f) + plotBottom(f)) / 2;
  parts.push(
    `<text class="axis-label" text-anchor="middle" transform="translate(14 ${n(cy)}) rotate(-90)">${esc(label)}</text>`,
    "</g>",
  );
  return parts.join("");
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  /** `line` (default), `box` (bars), `dot` (points), `ring` (hollow points). */
  readonly shape?: "line" | "box" | "dot" | "ring";
}

function swatch(it: LegendItem, x: number, y: number): string {
  if (it.shape === "box")
    return `<rect x="${n(x + 6)}" y="${n(y - 5)}" width="14" height="10" fill="${it.color}" fill-opacity="0.6" stroke="${it.color}"/>`;
  if (it.shape === "dot" || it.shape === "ring")
    return `<circle cx="${n(x + 13)}" cy="${n(y)}" r="4" fill="${it.shape === "dot" ? it.color : "#fff"}" stroke="${it.color}" stroke-width="1.5"/>`;
  return `<line x1="${n(x + 4)}" y1="${n(y)}" x2="${n(x + 22)}" y2="${n(y)}" stroke="${it.color}" stroke-width="2"${it.dash ? ` stroke-dasharray="${it.dash}"` : ""}/>`;
}

const labelWidth = (s: string) => s.length * 6;

/** Width of a vertical legend box. */
export const legendWidth = (items: readonly LegendItem[]) =>
  36 + Math.max(...items.map((it) => labelWidth(it.label)));

/**
 * A legend: a boxed column of items at `at` (its top-left corner), or with `row` a single line of items
 * (placed in a chart's top margin, clear of the data).
 */
export function legend(
  items: readonly LegendItem[],
  at: { x: number; y: number },
  opts: { row?: boolean } = {},
): string {
  if (opts.row) {
    let x = at.x;
    const parts = items.map((it) => {
      const s = `${swatch(it, x, at.y)}${text(x + 26, at.y + 4, it.label, "start", "legend-label")}`;
      x += 34 + labelWidth(it.label);
      return s;
    });
    return `<g class="legend">${parts.join("")}</g>`;
  }
  const rows = items.map((it, i) => {
    const y = at.y + 8 + i * 16;
    return `${swatch(it, at.x, y)}${text(at.x + 28, y + 4, it.label, "start", "legend-label")}`;
  });
  return `<g class="legend"><rect x="${n(at.x)}" y="${n(at.y - 4)}" width="${n(legendWidth(items))}" height="${items.length * 16 + 8}" fill="#fff" fill-opacity="0.9" stroke="#bbb"/>${rows.join("")}</g>`;
}

/** A polyline through points (already in pixels). */
export function path(
  points: readonly (readonly [number, number])[],
  color: string,
  dash = "",
  cls = "series",
): string {
  if (points.length === 0) return "";
  const d = points.map(([x, y], i) => `${i ? "L" : "M"}${n(x)} ${n(y)}`).join("");
  return `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, cls: string): string {
  return `<line class="${cls}" x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}"/>`;
}

export function text(
  x: number,
  y: number,
  s: string,
  anchor: "start" | "middle" | "end",
  cls: string,
): string {
  return `<text class="${cls}" x="${n(x)}" y="${n(y)}" text-anchor="${anchor}">${esc(s)}</text>`;
}

/** A pixel coordinate with at most one decimal. */
export function n(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 10) / 10) : "0";
}
