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
function clusterEnd(text: string, i: number): number {
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
 * clusters of their own.
 * @example apply(identity("ＡＢ"), [nfkc]).text // "AB"
 */
export function apply(input: Normalized, steps: readonly Normalizer[]): Normalized {
  const { text } = input;
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const j = clusterEnd(text, i);
    const rep = runSteps(text.slice(i, j), steps);
    if (rep.length > 0) {
      const s = input.starts[i]!;
      const e = input.ends[j - 1]!;
      parts.push(rep);
      for (let k = 0; k < rep.length; k++) {
        starts.push(s);
        ends.push(e);
      }
    }
    i = j;
  }
  return { text: parts.join(""), starts, ends, source: input.source };
}

/** Run normalisers over a raw string (one pass, steps composed per cluster). */
export function normalizeWith(source: string, steps: readonly Normalizer[]): Normalized {
  return apply(identity(source), steps);
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
export const nfkc: Normalizer = (c) => c.normalize("NFKC");

/** Lower-case (a simple case fold). */
export const caseFold: Normalizer = (c) => c.toLowerCase();

const ZERO_WIDTH = new Set(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]);

/** Remove zero-width and invisible formatting characters (ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen). */
export const stripInvisible: Normalizer = (c) => (ZERO_WIDTH.has(c) ? "" : c);

const HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  һ: "h",
  ԛ: "q",
  ԝ: "w",
  ӏ: "l",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  У: "Y",
  І: "I",
  Ј: "J",
  Ѕ: "S",
  // Greek
  α: "a",
  ο: "o",
  ν: "v",
  ι: "i",
  κ: "k",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ε: "e",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};

/** Fold common Cyrillic and Greek homoglyphs onto the Latin letters they imitate. Run after `nfkc`. */
export const foldHomoglyphs: Normalizer = (c) => HOMOGLYPHS[c] ?? c;

/** Collapse every whitespace run to one space (apply per cluster: each whitespace becomes a space). */
export const spaceFold: Normalizer = (c) => (/^\s+$/u.test(c) ? " " : c);

/** Keep ASCII digits only (run after `nfkc`, which maps fullwidth digits to ASCII). */
export const digitsOnly: Normalizer = (c) => (c.length === 1 && c >= "0" && c <= "9" ? c : "");

/** Collapse runs of spaces produced by `spaceFold` into one; keeps the map of the first space of a run. */
export function collapseSpaces(input: Normalized): Normalized {
  const starts: number[] = [];
  const ends: number[] = [];
  let out = "";
  for (let i = 0; i < input.text.length; i++) {
    const ch = input.text[i]!;
    if (ch === " " && out.endsWith(" ")) {
      ends[ends.length - 1] = input.ends[i]!;
      continue;
    }
    out += ch;
    starts.push(input.starts[i]!);
    ends.push(input.ends[i]!);
  }
  return { text: out, starts, ends, source: input.source };
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
  if (form === "digits") return normalizeWith(source, [nfkc, digitsOnly]);
  const steps = [nfkc, stripInvisible, foldHomoglyphs, spaceFold];
  return collapseSpaces(normalizeWith(source, form === "text" ? [...steps, caseFold] : steps));
}
