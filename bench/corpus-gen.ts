/**
 * Benchmark corpus for the corpus index: real text found on the machine (/usr/share/doc, man pages,
 * sources and docs in node_modules, the lab data) plus synthetic text, written as ~4 MB plain-text
 * documents under bench/.data/corpus-<MB>/; planted verbatim and near-verbatim spans at known positions;
 * outputs of 1-2 KB (synthetic filler around 0-3 planted spans) in outputs.jsonl; ground truth in
 * truth.json. The filler is drawn from its own vocabulary (novel text, as a model writing something new),
 * so chance matches between filler and corpus are rare; spans copied from the corpus are what is found.
 * Deterministic for a size (seeded); reused when already generated.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Rng } from "../src/core/rng.js";
import { editDistance } from "../src/match/edit-distance.js";
import { normalize } from "../src/match/normalize.js";

export const DATA = join(import.meta.dirname, ".data");

/** One planted span: where it is in the corpus, where it is in its output. */
export interface Planted {
  readonly kind: "verbatim" | "near";
  readonly doc: string;
  /** Raw offset of the source span in the document. */
  readonly offset: number;
  readonly length: number;
  readonly output: number;
  /** Span [start, end) in the output. */
  readonly start: number;
  readonly end: number;
  /** Normalised edit distance of the near copy (0 for verbatim). */
  readonly distance: number;
}

export interface BenchCorpus {
  readonly dir: string;
  readonly corpusDir: string;
  readonly outputsFile: string;
  readonly needlesFile: string;
  readonly bytes: number;
  readonly realBytes: number;
  readonly planted: readonly Planted[];
  readonly outputs: readonly string[];
}

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
function* realTexts(limit: number): Generator<string> {
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
const FILLER = [
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

function vocabulary(
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

function synthetic(rng: Rng, vocab: readonly string[], chars: number): string {
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
function edit(rng: Rng, s: string, rate: number): string {
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

interface Span {
  readonly doc: string;
  readonly offset: number;
  readonly text: string;
}

/**
 * Generate (or reuse) the corpus of about `mb` MB and `outputs` outputs.
 * @example const c = await benchCorpus(150, 2000)
 */
export async function benchCorpus(
  mb: number,
  outputCount: number,
  log = (_: string) => {},
): Promise<BenchCorpus> {
  const dir = join(DATA, `corpus-${mb}mb-${outputCount}`);
  const corpusDir = join(dir, "corpus");
  const truthFile = join(dir, "truth.json");
  const outputsFile = join(dir, "outputs.jsonl");
  const needlesFile = join(dir, "needles.txt");
  if (existsSync(truthFile)) {
    const t = JSON.parse(readFileSync(truthFile, "utf8")) as {
      bytes: number;
      realBytes: number;
      planted: Planted[];
    };
    const outputs = readFileSync(outputsFile, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => (JSON.parse(l) as { text: string }).text);
    return { dir, corpusDir, outputsFile, needlesFile, ...t, outputs };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(corpusDir, { recursive: true });
  const rng = new Rng(20260601, `corpus-${mb}`);
  const vocab = vocabulary(rng.fork("vocab"), 30000);
  const target = mb * 1e6;
  const docChars = 4e6;
  const spans: Span[] = [];
  const wantSpans = Math.ceil(outputCount * 1.6);
  const spanRate = wantSpans / target;
  const real = realTexts(target * 0.6);
  let bytes = 0;
  let realBytes = 0;
  let n = 0;
  let realDone = false;
  while (bytes < target) {
    const pieces: string[] = [];
    let len = 0;
    let isReal = false;
    while (len < docChars && !realDone) {
      const r = real.next();
      if (r.done) {
        realDone = true;
        break;
      }
      pieces.push(r.value, "\n\n");
      len += r.value.length + 2;
      isReal = true;
    }
    const text = isReal ? pieces.join("") : synthetic(rng, vocab, docChars);
    const id = `${isReal ? "real" : "syn"}-${String(n++).padStart(5, "0")}.txt`;
    const size = Buffer.byteLength(text);
    await writeFile(join(corpusDir, id), text);
    bytes += size;
    if (isReal) realBytes += size;
    for (let i = 0, m = Math.round(text.length * spanRate); i < m; i++) {
      const span = 60 + rng.int(341);
      const at = rng.int(Math.max(1, text.length - span));
      const s = text.slice(at, at + span);
      if (normalize(s, "text").text.length >= 60 && !/[\ud800-\udfff]/.test(s))
        spans.push({ doc: id, offset: at, text: s });
    }
    log(`corpus ${(bytes / 1e6).toFixed(0)}/${mb} MB`);
  }
  const outRng = rng.fork("outputs");
  const fillerVocab = vocabulary(rng.fork("filler"), 30000, FILLER, ["teh", "og", "adn"]);
  const pool = outRng.shuffle(spans);
  const planted: Planted[] = [];
  const outputs: string[] = [];
  const needles: string[] = [];
  let next = 0;
  for (let o = 0; o < outputCount; o++) {
    const size = 1000 + outRng.int(1000);
    const k = outRng.next() < 0.25 ? 0 : 1 + outRng.int(3);
    let out = "";
    for (let i = 0; i < k && next < pool.length; i++) {
      const sp = pool[next++]!;
      out += synthetic(outRng, fillerVocab, 50 + outRng.int(300));
      const near = outRng.next() < 0.4;
      let text = sp.text;
      let distance = 0;
      if (near) {
        const a = normalize(sp.text, "text").text;
        for (let tries = 0; tries < 5; tries++) {
          text = edit(outRng, sp.text, 0.01 + outRng.next() * 0.07);
          const b = normalize(text, "text").text;
          distance = editDistance(a, b) / Math.max(1, b.length);
          if (distance > 0 && distance <= 0.09) break;
        }
        if (!(distance > 0 && distance <= 0.09)) continue;
      } else {
        const longest = sp.text.split("\n").sort((x, y) => y.length - x.length)[0]!;
        if (longest.length >= 20) needles.push(longest);
      }
      planted.push({
        kind: near ? "near" : "verbatim",
        doc: sp.doc,
        offset: sp.offset,
        length: sp.text.length,
        output: o,
        start: out.length,
        end: out.length + text.length,
        distance,
      });
      out += `${text} `;
    }
    if (out.length < size) out += synthetic(outRng, fillerVocab, size - out.length);
    outputs.push(out);
  }
  await writeFile(
    outputsFile,
    `${outputs.map((t, i) => JSON.stringify({ id: `o${i}`, text: t })).join("\n")}\n`,
  );
  await writeFile(needlesFile, `${needles.join("\n")}\n`);
  await writeFile(truthFile, JSON.stringify({ bytes, realBytes, planted }));
  return { dir, corpusDir, outputsFile, needlesFile, bytes, realBytes, planted, outputs };
}
