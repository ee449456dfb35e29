/**
 * Corpus index benchmark: build and query an index of a generated corpus (bench/corpus-gen.ts) with the
 * real CLI in child processes (peak RSS read from /proc), against the floor of reading the corpus once
 * (`cat > /dev/null`), ripgrep with the planted verbatim spans as fixed strings, and a naive edit-distance
 * scan with fast-levenshtein over a subset (extrapolated). Recall is scored against the planted spans.
 *
 * `npm run bench corpus-index` runs 150 MB / 2,000 outputs; the 1 GB run:
 *   npx tsx bench/corpus-index-1g.ts            (1024 MB, 10,000 outputs)
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { CorpusIndex } from "../src/corpus/query.js";
import { editDistance } from "../src/match/edit-distance.js";
import type { Bench, BenchRow } from "./bench.js";
import { type BenchCorpus, benchCorpus, type Planted } from "./corpus-gen.js";

const ROOT = join(import.meta.dirname, "..");
const MIN_LENGTH = 50;

interface Measured {
  readonly seconds: number;
  readonly peakRss: number;
  /** CPU seconds of the child (all threads; user + system), as last polled. */
  readonly cpu: number;
  readonly code: number | null;
}

const TICK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** Run the CLI in a child process; wall time and peak RSS (VmHWM, polled). */
function cli(args: readonly string[], stdin?: string, stdout?: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cmd = `exec ${[process.execPath, "--import", "tsx", join(ROOT, "src/cli/run.ts"), ...args].map((a) => `'${a}'`).join(" ")}${stdin ? ` < '${stdin}'` : ""}${stdout ? ` > '${stdout}'` : " > /dev/null"}`;
    const child = spawn("bash", ["-c", cmd], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
        const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        cpu = (Number(f[11]) + Number(f[12])) / TICK;
      } catch {
        // exited
      }
    }, 50);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ seconds: (performance.now() - t0) / 1000, peakRss: peak, cpu, code });
    });
  });
}

function timed(cmd: string): { seconds: number; out: string; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync("bash", ["-c", cmd], { encoding: "utf8", maxBuffer: 1 << 30 });
  return {
    seconds: (performance.now() - t0) / 1000,
    out: r.stdout ?? "",
    ok: r.status === 0 || r.status === 1,
  };
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

interface Match {
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly exact: boolean;
  readonly docId: string;
}

function recall(planted: readonly Planted[], results: readonly Match[][]) {
  let verbatim = 0;
  let verbatimFound = 0;
  let near = 0;
  let nearFound = 0;
  let nearCovered = 0;
  let sameDoc = 0;
  for (const p of planted) {
    const ms = results[p.output] ?? [];
    if (p.kind === "verbatim") {
      verbatim++;
      const m = ms.find((x) => x.exact && x.start <= p.start && x.end >= p.end);
      if (m) verbatimFound++;
      if (m?.docId === p.doc) sameDoc++;
    } else {
      near++;
      const need = (p.end - p.start) / 2;
      if (ms.some((x) => Math.min(x.end, p.end) - Math.max(x.start, p.start) >= need)) nearFound++;
      const cover = new Uint8Array(p.end - p.start);
      for (const x of ms)
        for (let i = Math.max(x.start, p.start); i < Math.min(x.end, p.end); i++) cover[i - p.start] = 1;
      if (cover.reduce((n, c) => n + c, 0) >= need) nearCovered++;
    }
  }
  const all = results.flat();
  return {
    verbatim,
    verbatimRecall: verbatimFound / Math.max(1, verbatim),
    near,
    nearRecall: nearFound / Math.max(1, near),
    nearCovered: nearCovered / Math.max(1, near),
    sameDoc: sameDoc / Math.max(1, verbatimFound),
    shortest: all.reduce((n, m) => Math.min(n, m.length), Number.POSITIVE_INFINITY),
    reported: all.length,
  };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Naive scan cost: fast-levenshtein of an output against corpus windows of its length, stride 100. */
function naiveScan(c: BenchCorpus): { perOutputSeconds: number; windows: number } {
  const file = readdirSync(c.corpusDir).sort()[0]!;
  const text = readFileSync(join(c.corpusDir, file), "utf8").slice(0, 400_000);
  const outputs = c.outputs.slice(0, 2);
  let windows = 0;
  const t0 = performance.now();
  for (const o of outputs) {
    for (let p = 0; p + o.length <= text.length && windows < 400; p += 100) {
      editDistance(o, text.slice(p, p + o.length));
      windows++;
    }
  }
  const perWindow = (performance.now() - t0) / 1000 / windows;
  const corpusChars = c.bytes;
  return { perOutputSeconds: (perWindow * corpusChars) / 100, windows };
}

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
    case: `query ${outputs} outputs (one CLI run, incl. start-up; wall)`,
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
