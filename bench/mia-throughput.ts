/**
 * Membership-inference scoring throughput: scored tokens per second through each path memscan can score
 * a text by, against node-llama-cpp's own evaluation of the same tokens measured in the same run.
 *
 *   npm run bench -- mia-throughput                                   # 8 member texts, overfit, 2 rounds
 *   npm run bench -- mia-throughput --records 40 --model overfit --rounds 3
 *
 * `--model` is base | mild | overfit (the lab's models) or a path to a .gguf; `--records` member texts
 * from the lab's data/members.jsonl (field `text`; without the lab, the demo canaries' texts and
 * canaries/demo/overfit.gguf). Every text is scored as the API scanners score it: BOS + text, the text's
 * tokens scored teacher-forced, BOS not scored.
 *
 * Paths, each at concurrency 1 (one call after another) and 4 (four calls in flight; every engine here
 * has 4 sequences, which node-llama-cpp evaluates in one batch):
 * - raw: node-llama-cpp directly (its own getLlama/loadModel/createContext with memscan's settings: same
 *   context size, 4 sequences, 1 thread), pre-tokenized `[bos, ...tokenize(text)]`, one
 *   `controlledEvaluate` per text with the cheap per-token form (logit of the next token, top 1,
 *   totalLogitWeight). This is THE BASELINE: the cheapest way node-llama-cpp gives every token's log-prob.
 *   A forward-only row (`evaluateWithoutGeneratingNewTokens`, no logits read, so no log-probs and no
 *   agreement check) shows what the model costs with no scoring at all; it is a reference, not a baseline.
 * - gguf: memscan's gguf target in process, `scoreText` with `moments: false` and `moments: true` (the full
 *   next-token distribution per position, for Min-K%++).
 * - echo: `memscan serve` (the CLI, a child process on loopback) + the openai target's `scoreText`
 *   (completions, echo + logprobs=1, max_tokens=1).
 * - tgi: the same server + the hf target with `endpointUrl` (`/generate`, decoder_input_details).
 * - teacher-forced top-k fallback (`src/mia/scoring/teacher-forced.ts`): the same server without prompt
 *   logprobs (`features.promptLogprobs: false`, as llama.cpp or Ollama serve), one 1-token completion with
 *   top-5 logprobs per position, positions from the server's /tokenize; over the first FORCED_TEXTS texts
 *   at concurrency 4, once. Tokens absent from the top-5 are censored, so its mean log-prob is not compared
 *   with the baseline; its row gives tokens/s, requests per record and the censored share.
 *
 * Both HTTP routes also generate the one token the request asks for, so the server evaluates each text
 * twice (scoring, then a fresh sequence for generation); that cost belongs to the path and is measured.
 *
 * Rounds are interleaved (every path once per round, each round starting one path later) and each row
 * keeps its fastest round. Requests are counted at the client's `fetch` (both HTTP targets go through the
 * global fetch), probes at connect time and the one warm-up call per measurement excluded. Every path's per-text mean log-prob is checked against the raw baseline of the same round and
 * concurrency; the harness table lists the worst difference per path (goal ≤ 1e-3, token counts equal),
 * and a path that scores something else fails the run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ControlledEvaluateInputItem, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { Target } from "../src/core/types.js";
import { DEFAULT_THREADS } from "../src/local/engine.js";
import { connectTarget } from "../src/targets/index.js";
import { DEMO, HAS_LAB, labPath, ROOT } from "../test/helpers/lab.js";
import type { Bench, BenchRow } from "./bench.js";

const CONCURRENCY = [1, 4] as const;
/** Largest |Δ mean log-prob| (nats/token) between a path and the raw baseline that counts as agreeing. */
const TOLERANCE = 1e-3;

/** Texts the teacher-forced fallback scores (one request per token: slow by design), at concurrency 4. */
const FORCED_TEXTS = 2;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

function positiveInt(name: string, dflt: number): number {
  const v = Number(arg(name, String(dflt)));
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`Expected --${name} to be a positive integer, got ${v}.`);
  return v;
}

function modelPath(name: string): string {
  if (name.endsWith(".gguf")) return name;
  if (HAS_LAB) return labPath("models", `${name}.gguf`);
  if (name === "overfit" || name === "base") return DEMO[name];
  throw new Error(
    `Expected --model base or overfit without the lab (found none at ${labPath()}), got ${name}.`,
  );
}

function readTexts(n: number): { texts: string[]; source: string } {
  const file = HAS_LAB ? labPath("data", "members.jsonl") : DEMO.canaries;
  const all = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { text: string }).text);
  if (all.length < n) throw new Error(`Expected at least ${n} records in ${file}, got ${all.length}.`);
  return { texts: all.slice(0, n), source: file };
}

/** Run `fn(i, worker)` for i in 0..n-1 with `conc` workers; results in input order. */
async function pool<T>(n: number, conc: number, fn: (i: number, worker: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(conc, n) }, async (_, w) => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i, w);
      }
    }),
  );
  return out;
}

/** One path: scores text `i` on worker `w`, returning the log-probs of the text's tokens (null: none). */
interface Path {
  readonly name: string;
  readonly http: boolean;
  score(i: number, worker: number): Promise<number[] | null>;
}

interface Measurement {
  readonly tokens: number;
  readonly seconds: number;
  readonly requests: number;
  /** Per-text mean log-prob, and scored-token count. */
  readonly means: readonly number[];
  readonly counts: readonly number[];
}

let requests = 0;
const realFetch = globalThis.fetch;

async function measure(path: Path, n: number, conc: number): Promise<Measurement> {
  await path.score(0, 0);
  const before = requests;
  const start = performance.now();
  const out = await pool(n, conc, (i, w) => path.score(i, w));
  const seconds = (performance.now() - start) / 1000;
  const counts = out.map((lp) => lp?.length ?? 0);
  const means = out.map((lp) => (lp ? lp.reduce((s, x) => s + x, 0) / lp.length : Number.NaN));
  return { tokens: counts.reduce((s, x) => s + x, 0), seconds, requests: requests - before, means, counts };
}

/** Log-probs of a target's `scoreText` result, checking the scoring route it took. */
function targetPath(
  name: string,
  t: Target,
  texts: readonly string[],
  route: string,
  moments?: boolean,
): Path {
  if (!t.scoreText) throw new Error(`Expected ${t.info.id} to score text (promptLogprobs), it cannot.`);
  const score = t.scoreText.bind(t);
  return {
    name,
    http: route !== "gguf",
    async score(i) {
      const r = await score(texts[i]!, moments === undefined ? {} : { moments });
      if (r.path !== route) throw new Error(`Expected ${name} to score through ${route}, got ${r.path}.`);
      if (moments && r.tokens.some((tok) => tok.moments === undefined)) {
        throw new Error(`Expected ${name} to return moments for every token, some had none.`);
      }
      return r.tokens.map((tok) => (typeof tok.logprob === "number" ? tok.logprob : Number.NaN));
    },
  };
}

/** The raw node-llama-cpp baseline: no memscan code between the tokens and the log-probs. */
async function rawPaths(file: string, texts: readonly string[]) {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model: LlamaModel = await llama.loadModel({ modelPath: file });
  const train = model.trainContextSize;
  const context = await model.createContext({
    contextSize: Math.min(train > 0 ? train : 2048, 2048),
    sequences: 4,
    threads: DEFAULT_THREADS,
  });
  const seqs: LlamaContextSequence[] = Array.from({ length: 4 }, () => context.getSequence());
  const bos = model.tokens.bos;
  if (bos === null) throw new Error(`Expected ${file} to have a BOS token, it has none.`);
  const ids: Token[][] = texts.map((t) => [bos, ...model.tokenize(t)]);
  const freshSeq = async (w: number) => {
    const seq = seqs[w]!;
    if (seq.nextTokenIndex > 0) await seq.clearHistory();
    return seq;
  };
  const raw: Path = {
    name: "1. raw node-llama-cpp controlledEvaluate (baseline)",
    http: false,
    async score(i, w) {
      const tokens = ids[i]!;
      const input: ControlledEvaluateInputItem[] = tokens.slice(0, -1).map((t, j) => [
        t,
        {
          generateNext: {
            logits: { filter: { tokens: [tokens[j + 1]!], includeTop: 1 } },
            totalLogitWeight: true,
          },
        },
      ]);
      const out = await (await freshSeq(w)).controlledEvaluate(input);
      return out.map((o, j) => {
        const logits = o?.next?.logits;
        const weight = o?.next?.totalLogitWeight;
        if (logits === undefined || weight === undefined) throw new Error(`raw: no logits at position ${j}`);
        let max = Number.NEGATIVE_INFINITY;
        for (const v of logits.values()) max = Math.max(max, v);
        return logits.get(tokens[j + 1]!)! - max - Math.log(weight);
      });
    },
  };
  const forward: Path = {
    name: "   raw forward pass only (no logits read; reference)",
    http: false,
    async score(i, w) {
      await (await freshSeq(w)).evaluateWithoutGeneratingNewTokens(ids[i]!.slice(0, -1));
      return null;
    },
  };
  return {
    raw,
    forward,
    tokensOf: (i: number) => ids[i]!.length - 1,
    close: async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** `memscan serve --model file --port 0` as a child process (the real CLI); resolves with its base URL. */
async function startServe(file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/run.ts"), "serve", "--model", file, "--port", "0"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`memscan serve did not start in 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = / at (http:\/\/\S+) \(/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`memscan serve exited with ${code} before listening:\n${stderr}`));
    });
  });
  return { url, child };
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

const f = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : "–");

function table(head: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((v, i) => (right.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The teacher-forced fallback's row: through a server without prompt logprobs, at concurrency 4. */
async function forcedRow(
  file: string,
  texts: readonly string[],
  closers: (() => Promise<unknown>)[],
  baseline: Measurement,
  baselineTokens: number,
): Promise<string[]> {
  const { startServer } = await import("../src/serve/server.js");
  const { Scheduler } = await import("../src/core/scheduler.js");
  const { CallTally } = await import("../src/core/call-tally.js");
  const { scorerFor } = await import("../src/mia/scoring/scorer.js");
  const server = await startServer({ modelPath: file, modelName: "m", features: { promptLogprobs: false } });
  closers.push(() => server.close());
  const t = await connectTarget({ family: "openai", model: "m", baseUrl: `${server.url}/v1` });
  const scorer = scorerFor(t, new Scheduler({ concurrency: 4 }), "teacher-forced", 5);
  const tally = new CallTally();
  const start = performance.now();
  let scored = 0;
  let censored = 0;
  for (const text of texts) {
    const r = await scorer.score(text, { moments: false }, tally);
    if (!r) throw new Error(`teacher-forced scoring failed: ${tally.error ?? tally.stop?.reason}`);
    scored += r.tokens.length;
    censored += r.tokens.filter((x) => x.logprob === null).length;
  }
  const seconds = (performance.now() - start) / 1000;
  const rate = scored / seconds;
  return [
    `5. teacher-forced top-5 fallback (${texts.length} texts; ${((100 * censored) / scored).toFixed(1)}% censored)`,
    "4",
    String(scored),
    f(seconds, 2),
    f(rate, 0),
    f(rate / (baselineTokens / baseline.seconds), 3),
    String(tally.requests),
    f(tally.requests / texts.length, 2),
    "n/a (censored)",
  ];
}

export const miaThroughputBench: Bench = {
  name: "mia-throughput",
  async run() {
    const records = positiveInt("records", 8);
    const rounds = positiveInt("rounds", 2);
    const modelName = arg("model", "overfit");
    const file = modelPath(modelName);
    const { texts, source } = readTexts(records);
    const served = file.replace(/^.*[\\/]/, "").replace(/\.gguf$/i, "");

    globalThis.fetch = (...a: Parameters<typeof fetch>) => {
      requests++;
      return realFetch(...a);
    };
    const closers: (() => Promise<unknown>)[] = [];
    try {
      const raw = await rawPaths(file, texts);
      closers.push(raw.close);
      const local = await connectTarget({ family: "gguf", model: file });
      closers.push(async () => local.close?.());
      const serve = await startServe(file);
      closers.push(() => stopServe(serve.child));
      const echo = await connectTarget({ family: "openai", model: served, baseUrl: `${serve.url}/v1` });
      const tgi = await connectTarget({ family: "hf", endpointUrl: serve.url });
      const paths: Path[] = [
        raw.raw,
        raw.forward,
        targetPath("2. gguf scoreText in process, moments off", local, texts, "gguf", false),
        targetPath("2. gguf scoreText in process, moments (full distribution)", local, texts, "gguf", true),
        targetPath("3. memscan serve + openai scoreText (completions echo)", echo, texts, "completions-echo"),
        targetPath("4. memscan serve + hf scoreText (TGI decoder_input_details)", tgi, texts, "tgi-prefill"),
        // 5. the teacher-forced fallback is measured apart (forcedRow): one request per token
      ];
      const expected = texts.map((_, i) => raw.tokensOf(i));
      const best = new Map<string, Measurement>();
      /** Worst |Δ mean log-prob| against the raw baseline of the same round and concurrency, per path and c. */
      const worst = new Map<string, { diff: number; countsMatch: boolean }>();
      for (let round = 0; round < rounds; round++) {
        // Each round starts one path later, so no path always runs first (or right after the server's).
        const order = paths.map((_, j) => paths[(j + round) % paths.length]!);
        for (const c of CONCURRENCY) {
          const got = new Map<Path, Measurement>();
          for (const p of order) {
            const m = await measure(p, texts.length, c);
            got.set(p, m);
            const key = `${p.name}|${c}`;
            const prev = best.get(key);
            if (prev === undefined || m.seconds < prev.seconds) best.set(key, m);
          }
          const baseline = got.get(raw.raw)!;
          for (const [p, m] of got) {
            if (p === raw.forward) continue;
            const key = `${p.name}|${c}`;
            const w = worst.get(key) ?? { diff: 0, countsMatch: true };
            m.means.forEach((x, i) => {
              const d = Math.abs(x - baseline.means[i]!);
              w.diff = Math.max(w.diff, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
            });
            w.countsMatch &&= m.counts.every((k, i) => k === expected[i]);
            worst.set(key, w);
          }
        }
      }

      const tokens = expected.reduce((s, x) => s + x, 0);
      const rows: string[][] = [];
      for (const p of paths) {
        for (const c of CONCURRENCY) {
          const m = best.get(`${p.name}|${c}`)!;
          const base = best.get(`${raw.raw.name}|${c}`)!;
          const rate = tokens / m.seconds;
          const w = worst.get(`${p.name}|${c}`);
          rows.push([
            p.name,
            String(c),
            String(p === raw.forward ? tokens : m.tokens),
            f(m.seconds, 2),
            f(rate, 0),
            f(rate / (tokens / base.seconds), 3),
            p.http ? String(m.requests) : "",
            p.http ? f(m.requests / texts.length, 2) : "",
            w === undefined ? "n/a" : w.countsMatch ? w.diff.toExponential(1) : "TOKENS DIFFER",
          ]);
        }
      }
      rows.push(
        await forcedRow(file, texts.slice(0, FORCED_TEXTS), closers, best.get(`${raw.raw.name}|4`)!, tokens),
      );
      const head = [
        "path",
        "c",
        "tokens",
        "seconds",
        "tok/s",
        "x raw",
        "requests",
        "req/rec",
        "max|Δ mean lp|",
      ];
      console.log(
        `## mia-throughput: scored tokens per second, ${texts.length} texts (${tokens} scored tokens) ` +
          `from ${source}, model ${file}\n` +
          `c = calls in flight; best of ${rounds} interleaved round(s); x raw = tok/s over the raw baseline ` +
          `at the same c; max|Δ mean lp| = worst per-text mean log-prob difference from the raw baseline ` +
          `(same round and c), nats/token\n\n` +
          `${table(head, rows, new Set([1, 2, 3, 4, 5, 6, 7, 8]))}\n`,
      );

      return paths
        .filter((p) => p !== raw.raw && p !== raw.forward)
        .map((p): BenchRow => {
          const ws = CONCURRENCY.map((c) => worst.get(`${p.name}|${c}`)!);
          const w = {
            diff: Math.max(...ws.map((x) => x.diff)),
            countsMatch: ws.every((x) => x.countsMatch),
          };
          return {
            case: `agreement with raw, c=${CONCURRENCY.join(" and ")}: ${p.name.replace(/^\d\. /, "")}`,
            value: w.countsMatch ? w.diff : Number.POSITIVE_INFINITY,
            unit: "max|Δ mean lp|",
            goal: `≤ ${TOLERANCE}, same token counts`,
            pass: w.countsMatch && w.diff <= TOLERANCE,
          };
        });
    } finally {
      globalThis.fetch = realFetch;
      for (const close of closers.reverse()) await close();
    }
  },
};
