/**
 * Corpus index benchmark: build and query an index of a generated corpus (bench/corpus-gen.ts) with the
 * real CLI in child processes (peak RSS read from /proc), against the floor of reading the corpus once
 * (`cat > /dev/null`), ripgrep with the planted verbatim spans as fixed strings, and a naive edit-distance
 * scan with fast-levenshtein over a subset (extrapolated). Recall is scored against the planted spans.
 *
 * `npm run bench corpus-index` runs 150 MB / 2,000 outputs; the 1 GB run:
 *   npx tsx bench/corpus-index-1g.ts            (1024 MB, 10,000 outputs)
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { CorpusIndex } from "../src/corpus/query.js";
import type { Bench, BenchRow } from "./bench.js";
import { benchCorpus } from "./corpus-gen.js";
import {
  buildCli,
  cli,
  dirBytes,
  type Match,
  naiveScan,
  percentile,
  recall,
  timed,
} from "./corpus-measure.js";

const MIN_LENGTH = 50;

/**
 * Run the whole benchmark for a corpus of `mb` MB and `outputs` outputs; rows with goals.
 * @example await corpusIndexRows(150, 2000, console.error)
 */
export async function corpusIndexRows(
  mb: number,
  outputs: number,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  const c = await benchCorpus(mb, outputs, log);
  log("compiling the CLI (npm run build): the benchmark runs bin/memscan.js, as users do");
  buildCli();
  const corpusMb = c.bytes / 1e6;
  const load0 = loadavg()[0]!;
  const rows: BenchRow[] = [];
  rows.push({
    case: `corpus (${((100 * c.realBytes) / c.bytes).toFixed(0)}% real text), ${outputs} outputs`,
    value: corpusMb,
    unit: "MB",
  });
  const floor = timed(`cat '${c.corpusDir}'/* > /dev/null`);
  rows.push({ case: "floor: cat corpus > /dev/null", value: corpusMb / floor.seconds, unit: "MB/s" });
  const idx = join(c.dir, "index");
  timed(`rm -rf '${idx}'`);
  log("building the index");
  const build = await cli(["index", "build", c.corpusDir, "--out", idx]);
  if (build.code !== 0) throw new Error(`index build failed (exit ${build.code})`);
  const buildRate = corpusMb / build.seconds;
  rows.push({ case: "index build time (wall)", value: build.seconds, unit: "s" });
  rows.push({ case: "  ... CPU seconds of the build process (all threads)", value: build.cpu, unit: "s" });
  rows.push({
    case: "  ... MB per CPU second (what 1 idle core gives)",
    value: corpusMb / build.cpu,
    unit: "MB/s",
  });
  rows.push({
    case: "index build throughput",
    value: buildRate,
    unit: "MB/s",
    baseline: corpusMb / floor.seconds,
    ratio: buildRate / (corpusMb / floor.seconds),
    goal: ">= 50 MB/s",
    pass: buildRate >= 50,
  });
  const size = dirBytes(idx) / 1e6;
  rows.push({ case: "index size", value: size, unit: "MB", baseline: corpusMb, ratio: size / corpusMb });
  rows.push({
    case: "index build peak RSS",
    value: build.peakRss / 1e6,
    unit: "MB",
    baseline: corpusMb,
    ratio: build.peakRss / 1e6 / corpusMb,
    goal: "<= 1.5x corpus",
    pass: build.peakRss / 1e6 <= 1.5 * corpusMb,
  });
  log("querying");
  const resultsFile = join(c.dir, "results.jsonl");
  const query = await cli(["index", "query", idx, "--jsonl", "--json"], c.outputsFile, resultsFile);
  if (query.code !== 0 && query.code !== 1) throw new Error(`index query failed (exit ${query.code})`);
  const qps = outputs / query.seconds;
  const results = readFileSync(resultsFile, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { matches: Match[] }).matches);
  rows.push({
    case: `query ${outputs} outputs (one run of bin/memscan.js, incl. start-up; wall)`,
    value: query.seconds,
    unit: "s",
  });
  rows.push({
    case: "  ... outputs per CPU second of the query process",
    value: outputs / query.cpu,
    unit: "outputs/s",
  });
  rows.push({ case: "query throughput", value: qps, unit: "outputs/s", goal: ">= 1000", pass: qps >= 1000 });
  rows.push({
    case: "query peak RSS",
    value: query.peakRss / 1e6,
    unit: "MB",
    baseline: corpusMb,
    ratio: query.peakRss / 1e6 / corpusMb,
    goal: "<= 1.5x corpus",
    pass: query.peakRss / 1e6 <= 1.5 * corpusMb,
  });
  const r = recall(c.planted, results);
  rows.push({
    case: `recall, ${r.verbatim} planted verbatim spans`,
    value: r.verbatimRecall * 100,
    unit: "%",
    goal: "100%",
    pass: r.verbatimRecall === 1,
  });
  rows.push({ case: "  ... reported in the planted document", value: r.sameDoc * 100, unit: "%" });
  rows.push({
    case: `recall, ${r.near} planted near-verbatim spans (one reported span covers >= half)`,
    value: r.nearRecall * 100,
    unit: "%",
    goal: ">= 95%",
    pass: r.nearRecall >= 0.95,
  });
  rows.push({
    case: "  ... detected: reported spans (verbatim pieces too) cover >= half",
    value: r.nearCovered * 100,
    unit: "%",
  });
  rows.push({
    case: `shortest of ${r.reported} reported spans`,
    value: r.shortest,
    unit: "chars",
    goal: `>= ${MIN_LENGTH}`,
    pass: r.shortest >= MIN_LENGTH,
  });
  log("latency");
  const index = await CorpusIndex.open(idx);
  const lat: number[] = [];
  const samples = mb > 500 ? 10 : 50;
  try {
    await index.query([c.outputs[0]!]);
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await index.query([c.outputs[(i * 7919) % outputs]!]);
      lat.push(performance.now() - t0);
    }
  } finally {
    await index.close();
  }
  rows.push({
    case: `latency of one output, p50 (${samples} queries)`,
    value: percentile(lat, 0.5),
    unit: "ms",
  });
  rows.push({ case: "latency of one output, p99", value: percentile(lat, 0.99), unit: "ms" });
  const rgPresent = timed("command -v rg").ok && timed("command -v rg").out.trim() !== "";
  if (rgPresent) {
    const rg = timed(`rg -F -o -N --no-filename -f '${c.needlesFile}' '${c.corpusDir}' | sort -u | wc -l`);
    const needles = readFileSync(c.needlesFile, "utf8")
      .split("\n")
      .filter((l) => l !== "").length;
    rows.push({
      case: `ripgrep -F -f (${needles} planted needles known in advance)`,
      value: rg.seconds,
      unit: "s",
      baseline: query.seconds,
      ratio: rg.seconds / query.seconds,
    });
    rows.push({ case: "  ... distinct needles found by rg", value: Number(rg.out.trim()), unit: "needles" });
  } else rows.push({ case: "ripgrep not installed (apt-get install ripgrep)", value: 0, unit: "" });
  const naive = naiveScan(c);
  rows.push({
    case: `naive fast-levenshtein scan (stride 100, ${naive.windows} windows measured, extrapolated)`,
    value: 1 / naive.perOutputSeconds,
    unit: "outputs/s",
    baseline: qps,
    ratio: qps * naive.perOutputSeconds,
  });
  const load1 = loadavg()[0]!;
  rows.push({
    case: "machine load average (1 min) before / after",
    value: load0,
    unit: `/ ${load1.toFixed(2)}`,
  });
  return rows;
}

/** `npm run bench corpus-index`: 150 MB, 2,000 outputs. */
export const corpusIndexBench: Bench = {
  name: "corpus-index",
  run: () => corpusIndexRows(150, 2000, (s) => process.stderr.write(`${s}\n`)),
};
