/** Text for the benchmark corpus: real files found on the machine, Zipf-shaped synthetic prose, letter edits. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Rng } from "../src/core/rng.js";

const TEXT_EXT = /\.(js|mjs|cjs|ts|mts|md|markdown|txt|c|cc|cpp|h|hpp|py|html|css|yml|yaml|rst|sh)$/i;

function* walk(dir: string, depth = 0): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory() && depth < 24) yield* walk(p, depth + 1);
    else if (st.isFile() && st.size > 200 && st.size < 8 << 20) yield p;
  }
}

function readText(path: string, anyName: boolean): string | null {
  if (!anyName && !TEXT_EXT.test(path) && !/\.gz$/.test(path)) return null;
  let buf: Buffer;
  try {
    buf = readFileSync(path);
    if (path.endsWith(".gz")) buf = gunzipSync(buf);
  } catch {
    return null;
  }
  if (buf.subarray(0, 4096).includes(0)) return null;
  return buf.toString("utf8");
}

/** Real text from the machine, up to `limit` characters, as one stream of file texts. */
export function* realTexts(limit: number): Generator<string> {
  const roots: [string, boolean][] = [
    ["/usr/share/doc", true],
    ["/usr/share/man", true],
    ["/work/shared/lab", false],
    [join(import.meta.dirname, "../node_modules"), false],
  ];
  let total = 0;
  for (const [root, any] of roots) {
    for (const p of walk(root)) {
      const t = readText(p, any);
      if (t === null) continue;
      total += t.length;
      yield t;
      if (total >= limit) return;
    }
  }
}

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "sa",
  "tor",
  "vel",
  "qu",
  "an",
  "is",
  "dra",
  "po",
  "ne",
  "ul",
  "xi",
  "zor",
];

/** Syllables of the outputs' filler: no word of the filler is a word of the corpus. */
export const FILLER = [
  "ba",
  "ce",
  "di",
  "fo",
  "gu",
  "hy",
  "jo",
  "ki",
  "lu",
  "my",
  "nop",
  "pe",
  "ri",
  "su",
  "ty",
  "wo",
];

export function vocabulary(
  rng: Rng,
  n: number,
  syllables: readonly string[] = SYLLABLES,
  common: readonly string[] = ["the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "on", "by"],
): string[] {
  const words = new Set<string>(common);
  while (words.size < n) {
    let w = "";
    for (let i = 0, m = 2 + rng.int(4); i < m; i++) w += rng.pick(syllables);
    words.add(w);
  }
  return [...words];
}

/** Zipf (s = 1) cumulative weights over the vocabulary: word frequencies shaped like English. */
function zipf(n: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1);
    c[i] = sum;
  }
  for (let i = 0; i < n; i++) c[i]! /= sum;
  return c;
}

function pickZipf(rng: Rng, cdf: Float64Array): number {
  const x = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (cdf[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

const CDFS = new WeakMap<readonly string[], Float64Array>();

export function synthetic(rng: Rng, vocab: readonly string[], chars: number): string {
  let cdf = CDFS.get(vocab);
  if (cdf === undefined) {
    cdf = zipf(vocab.length);
    CDFS.set(vocab, cdf);
  }
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const len = 6 + rng.int(16);
    const words: string[] = [];
    for (let i = 0; i < len; i++) words.push(vocab[pickZipf(rng, cdf)]!);
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    const s = `${words.join(" ")}${rng.next() < 0.1 ? "," : "."}${rng.next() < 0.15 ? "\n\n" : " "}`;
    parts.push(s);
    n += s.length;
  }
  return parts.join("");
}

/** Letter edits at rate `rate` (substitute, insert, delete in equal parts). */
export function edit(rng: Rng, s: string, rate: number): string {
  const out: string[] = [];
  for (const ch of s) {
    const r = rng.next();
    const letter = String.fromCharCode(97 + rng.int(26));
    if (r >= rate || !/\p{L}/u.test(ch)) out.push(ch);
    else if (r < rate / 3) out.push(letter);
    else if (r < (2 * rate) / 3) out.push(ch, letter);
  }
  return out.join("");
}
