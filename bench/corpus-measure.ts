/** Measurements of the corpus index benchmark: child processes with peak RSS and CPU, recall, baselines. */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { editDistance } from "../src/match/edit-distance.js";
import type { BenchCorpus, Planted } from "./corpus-gen.js";

const ROOT = join(import.meta.dirname, "..");

interface Measured {
  readonly seconds: number;
  readonly peakRss: number;
  /** CPU seconds of the child (all threads; user + system), as last polled. */
  readonly cpu: number;
  readonly code: number | null;
}

const TICK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * Compile the CLI (`npm run build`) so that `cli` runs what users run: `bin/memscan.js` over `dist/`.
 * From the TypeScript sources through tsx, every process and worker thread would first transpile them
 * (about a second of start-up per run on this machine).
 */
export function buildCli(): void {
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** Run the built CLI (see `buildCli`) in a child process; wall time and peak RSS (VmHWM, polled). */
export function cli(args: readonly string[], stdin?: string, stdout?: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cmd = `exec ${[process.execPath, join(ROOT, "bin/memscan.js"), ...args].map((a) => `'${a}'`).join(" ")}${stdin ? ` < '${stdin}'` : ""}${stdout ? ` > '${stdout}'` : " > /dev/null"}`;
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

export function timed(cmd: string): { seconds: number; out: string; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync("bash", ["-c", cmd], { encoding: "utf8", maxBuffer: 1 << 30 });
  return {
    seconds: (performance.now() - t0) / 1000,
    out: r.stdout ?? "",
    ok: r.status === 0 || r.status === 1,
  };
}

export function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

export interface Match {
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly exact: boolean;
  readonly docId: string;
}

export function recall(planted: readonly Planted[], results: readonly Match[][]) {
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

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Naive scan cost: fast-levenshtein of an output against corpus windows of its length, stride 100. */
export function naiveScan(c: BenchCorpus): { perOutputSeconds: number; windows: number } {
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
