import { esc } from "./escape.js";

/** Trusted markup built by a renderer (never text from an event). */
export interface Html {
  readonly html: string;
}

/** Mark renderer-built markup as trusted. */
export const raw = (html: string): Html => ({ html });

/** A cell: text (escaped here) or trusted markup. */
export type Cell = string | number | Html;

export const cell = (c: Cell): string => (typeof c === "object" ? c.html : esc(c));

/**
 * A plain table; every text cell is escaped. `numeric` columns are right-aligned.
 * @example table(["probe", "hits"], [["extraction.canary", 37]], { id: "probes", numeric: [1] })
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  opts: { id?: string; numeric?: readonly number[]; caption?: string } = {},
): string {
  const num = new Set(opts.numeric ?? []);
  const head = headers
    .map((h, i) => `<th scope="col"${num.has(i) ? ' class="num"' : ""}>${esc(h)}</th>`)
    .join("");
  const body = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td${num.has(i) ? ' class="num"' : ""}>${cell(c)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return (
    `<table${opts.id ? ` id="${esc(opts.id)}"` : ""}>` +
    (opts.caption ? `<caption>${esc(opts.caption)}</caption>` : "") +
    `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
  );
}

/** A chart with its caption and, folded away, the numbers behind it (readable without script). */
export function figure(svg: string, caption: string, data?: string): string {
  return (
    `<figure>${svg}<figcaption>${esc(caption)}</figcaption>` +
    (data ? `<details><summary>Data</summary>${data}</details>` : "") +
    "</figure>"
  );
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

export const fixed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x)
    ? "–"
    : Number.isInteger(x)
      ? String(x)
      : x.toFixed(digits);
