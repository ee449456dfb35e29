/**
 * Benchmark corpus for the corpus index: real text found on the machine (/usr/share/doc, man pages,
 * sources and docs in node_modules, the lab data) plus synthetic text, written as ~4 MB plain-text
 * documents under bench/.data/corpus-<MB>/; planted verbatim and near-verbatim spans at known positions;
 * outputs of 1-2 KB (synthetic filler around 0-3 planted spans) in outputs.jsonl; ground truth in
 * truth.json. The filler is drawn from its own vocabulary (novel text, as a model writing something new),
 * so chance matches between filler and corpus are rare; spans copied from the corpus are what is found.
 * Deterministic for a size (seeded); reused when already generated.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "../src/core/rng.js";
import { editDistance } from "../src/match/edit-distance.js";
import { normalize } from "../src/match/normalize.js";
import { edit, FILLER, realTexts, synthetic, vocabulary } from "./corpus-text.js";

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
