import { HOMOGLYPHS } from "./homoglyphs.js";

/**
 * Explicit normalisers that keep an offset map back to the raw string, so that a match found in the
 * normalised text can be reported as a span of the raw model output.
 */

/**
 * A normalised string with, for every UTF-16 unit `i` of `text`, the raw span `[starts[i], ends[i])` it came
 * from. `source` is the raw string.
 */
export interface Normalized {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly source: string;
}

/** One step: maps a cluster (a code point plus any combining marks) to its replacement (may be empty). */
export type Normalizer = (cluster: string) => string;

/** Wrap a raw string as the identity normalisation. */
export function identity(source: string): Normalized {
  const starts = new Array<number>(source.length);
  const ends = new Array<number>(source.length);
  for (let i = 0; i < source.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text: source, starts, ends, source };
}

const MARK = /^\p{M}$/u;

function codePointLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** End (exclusive) of the cluster starting at `i`: one code point plus any following combining marks. */
export function clusterEnd(text: string, i: number): number {
  let j = i + codePointLength(text, i);
  while (j < text.length && text.charCodeAt(j) >= 0x300) {
    const len = codePointLength(text, j);
    if (!MARK.test(text.slice(j, j + len))) break;
    j += len;
  }
  return j;
}

function runSteps(cluster: string, steps: readonly Normalizer[]): string {
  let cur = cluster;
  if (steps.length === 1) return steps[0]!(cur);
  for (const step of steps) {
    if (cur.length === 0) return cur;
    if (cur.length === 1 || cur === cluster) {
      cur = step(cur);
      continue;
    }
    let next = "";
    for (let k = 0; k < cur.length; ) {
      const e = clusterEnd(cur, k);
      next += step(cur.slice(k, e));
      k = e;
    }
    cur = next;
  }
  return cur;
}

/**
 * Apply normalisers cluster by cluster (a code point plus its combining marks), composing the offset maps:
 * every output unit maps to the span of the input cluster it came from. Lone surrogates pass through as
 * clusters of their own. With `collapse`, a run of single spaces in the result becomes one space.
 * @example apply(identity("ＡＢ"), [nfkc]).text // "AB"
 */
export function apply(input: Normalized, steps: readonly Normalizer[], collapse = false): Normalized {
  return run(input.text, input, steps, collapse);
}

function run(
  text: string,
  maps: Normalized | null,
  steps: readonly Normalizer[],
  collapse: boolean,
  ascii?: readonly string[],
): Normalized {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let lastSpace = false;
  const n = text.length;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    let cluster: string;
    if (text.charCodeAt(i) < 0x300 && (j >= n || text.charCodeAt(j) < 0x300)) cluster = text[i]!;
    else {
      j = clusterEnd(text, i);
      cluster = text.slice(i, j);
    }
    const code = cluster.length === 1 ? cluster.charCodeAt(0) : 0x300;
    const rep = ascii !== undefined && code < 0x80 ? ascii[code]! : runSteps(cluster, steps);
    const s = maps === null ? i : maps.starts[i]!;
    const e = maps === null ? j : maps.ends[j - 1]!;
    i = j;
    if (rep.length === 0) continue;
    if (collapse && rep === " ") {
      if (lastSpace) {
        ends[ends.length - 1] = e;
        continue;
      }
      lastSpace = true;
    } else lastSpace = false;
    parts.push(rep);
    for (let k = 0; k < rep.length; k++) {
      starts.push(s);
      ends.push(e);
    }
  }
  return { text: parts.join(""), starts, ends, source: maps === null ? text : maps.source };
}

/** Run normalisers over a raw string (one pass, steps composed per cluster); `collapse` as in `apply`. */
export function normalizeWith(source: string, steps: readonly Normalizer[], collapse = false): Normalized {
  return run(source, null, steps, collapse, asciiTable(steps));
}

/** What the steps do to each ASCII character, computed once per step list (a fast path for ASCII text). */
const ASCII_TABLES = new WeakMap<readonly Normalizer[], string[]>();
function asciiTable(steps: readonly Normalizer[]): string[] {
  let t = ASCII_TABLES.get(steps);
  if (t === undefined) {
    t = Array.from({ length: 128 }, (_, c) => runSteps(String.fromCharCode(c), steps));
    ASCII_TABLES.set(steps, t);
  }
  return t;
}

/**
 * Map a span `[start, end)` of the normalised text back to the raw string. An empty span maps to an empty
 * raw span at the corresponding position.
 */
export function toRawSpan(norm: Normalized, start: number, end: number): [number, number] {
  const n = norm.text.length;
  if (n === 0) return [0, 0];
  if (end <= start) {
    const at = start < n ? norm.starts[start]! : norm.source.length;
    return [at, at];
  }
  return [norm.starts[Math.min(start, n - 1)]!, norm.ends[Math.min(end, n) - 1]!];
}

/** Unicode NFKC per cluster: fullwidth letters and digits, ligatures, compatibility forms. */
export const nfkc: Normalizer = (c) => (c.length === 1 && c.charCodeAt(0) < 0xa0 ? c : c.normalize("NFKC"));

/** Lower-case (a simple case fold). */
export const caseFold: Normalizer = (c) => {
  const code = c.charCodeAt(0);
  if (c.length === 1 && code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
  return c.toLowerCase();
};

const ZERO_WIDTH = new Set(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]);

/** Remove zero-width and invisible formatting characters (ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen). */
export const stripInvisible: Normalizer = (c) => (ZERO_WIDTH.has(c) ? "" : c);

/** Fold common Cyrillic and Greek homoglyphs onto the Latin letters they imitate. Run after `nfkc`. */
export const foldHomoglyphs: Normalizer = (c) => HOMOGLYPHS[c] ?? c;

/** Collapse every whitespace run to one space (apply per cluster: each whitespace becomes a space). */
export const spaceFold: Normalizer = (c) => {
  const code = c.charCodeAt(0);
  if (c.length === 1 && code > 0x20 && code < 0x7f) return c;
  return /^\s+$/u.test(c) ? " " : c;
};

const ND = /^\p{Nd}$/u;

/**
 * The value 0-9 of a Unicode decimal digit (Arabic-Indic `٤`, Devanagari `४`, ...), or -1. Decimal digits
 * come in contiguous runs of ten from zero (a Unicode stability rule), so counting back to the run's start
 * gives the value.
 */
export function digitValue(c: string): number {
  if (!ND.test(c)) return -1;
  let cp = c.codePointAt(0)!;
  let n = 0;
  while (ND.test(String.fromCodePoint(cp - 1))) {
    cp--;
    n++;
  }
  return n % 10;
}

/** Keep digits only, as ASCII (run after `nfkc`, which maps fullwidth digits; other scripts' digits map here). */
export const digitsOnly: Normalizer = (c) => {
  if (c.length === 1 && c >= "0" && c <= "9") return c;
  const code = c.codePointAt(0)!;
  if (code < 0x660) return "";
  const v = digitValue(c);
  return v < 0 ? "" : String(v);
};

const DIGITS = [nfkc, digitsOnly];
const LAYOUT = [nfkc, stripInvisible, foldHomoglyphs, spaceFold];
const TEXT = [...LAYOUT, caseFold];

/**
 * What the `text` form makes of one cluster (as `normalize(cluster, "text")` would, before whitespace runs
 * are collapsed). For fast normalisers that handle ASCII themselves and defer the rest here.
 */
export function textCluster(cluster: string): string {
  return runSteps(cluster, TEXT);
}

/** The standard pipelines, by name. */
export type NormalForm = "layout" | "text" | "digits";

/**
 * Normalise for matching:
 * - `layout`: NFKC, invisible characters removed, homoglyphs folded, whitespace runs collapsed (case kept);
 * - `text`: `layout` plus case folding;
 * - `digits`: NFKC, homoglyphs folded, then ASCII digits only ("7 0 0 5" and "７００５" become "7005").
 * @example normalize("Ｐаss  Word", "text").text // "pass word"
 */
export function normalize(source: string, form: NormalForm): Normalized {
  if (form === "digits") return normalizeWith(source, DIGITS);
  return normalizeWith(source, form === "text" ? TEXT : LAYOUT, true);
}
