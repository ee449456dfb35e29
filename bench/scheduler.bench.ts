import { Scheduler } from "../src/core/scheduler.js";
import { postChat, startRateLimitedServer } from "../test/helpers/rate-limited-server.js";
import type { Bench, BenchRow } from "./bench.js";

/**
 * (1) Precision: against a loopback server enforcing R requests per sliding window W, the achieved rate
 * must land within 5% of R with zero 429s caused by us. (2) Overhead: per-request cost of the scheduler
 * against an instant loopback server, vs plain fetch calls measured in the same run.
 */
export const schedulerBench: Bench = {
  name: "scheduler",
  async run() {
    return [
      // 600 requests/min scaled 6x (600 per 10 s) and a slower 120 per 6 s; 2 windows each (~32 s in all).
      await precision(600, 10_000, 2, 16),
      await precision(120, 6000, 2, 8),
      ...(await overhead(200, 8)),
      await noopOverhead(20_000),
    ];
  },
};

async function precision(
  limit: number,
  windowMs: number,
  windows: number,
  concurrency: number,
): Promise<BenchRow> {
  const server = await startRateLimitedServer({ limit, windowMs, delayMs: 15 });
  try {
    const s = new Scheduler({ concurrency, rpm: { limit, windowMs }, maxTries: 1 });
    const n = limit * windows + 1;
    await Promise.all(Array.from({ length: n }, () => s.run((signal) => postChat(server.url, signal))));
    const t = server.accepted;
    const achieved = ((t.length - 1) / (t.at(-1)! - t[0]!)) * windowMs; // requests per window
    const ratio = achieved / limit;
    return {
      case: `rate vs limit R=${limit}/${windowMs / 1000}s, c=${concurrency} (429s: ${server.limited})`,
      value: achieved,
      unit: "req/window",
      baseline: limit,
      ratio,
      goal: "ratio in [0.95, 1], zero 429s",
      pass: ratio >= 0.95 && ratio <= 1 && server.limited === 0,
    };
  } finally {
    await server.close();
  }
}

async function overhead(perBlock: number, blocks: number): Promise<BenchRow[]> {
  const server = await startRateLimitedServer();
  try {
    const s = new Scheduler({ concurrency: 1, timeoutMs: 30_000 });
    const plain = async () => {
      for (let i = 0; i < perBlock; i++) await postChat(server.url);
    };
    const scheduled = async () => {
      for (let i = 0; i < perBlock; i++) await s.run((signal) => postChat(server.url, signal));
    };
    await plain(); // warm up connections and JIT
    await scheduled();
    // Interleaved blocks; the median per-block difference resists load spikes from other processes.
    const plainMs: number[] = [];
    const schedMs: number[] = [];
    for (let b = 0; b < blocks; b++) {
      plainMs.push((await time(plain)) / perBlock);
      schedMs.push((await time(scheduled)) / perBlock);
    }
    const n = perBlock * blocks;
    const base = median(plainMs);
    const withS = median(schedMs);
    const diff = median(schedMs.map((v, i) => v - plainMs[i]!));
    return [
      {
        case: `loopback request through scheduler (n=${n})`,
        value: withS,
        unit: "ms/req",
        baseline: base,
        ratio: withS / base,
      },
      {
        case: "scheduler overhead per request",
        value: diff,
        unit: "ms/req",
        goal: "< 1 ms",
        pass: diff < 1,
      },
    ];
  } finally {
    await server.close();
  }
}

async function noopOverhead(n: number): Promise<BenchRow> {
  const s = new Scheduler({ concurrency: 1 });
  const call = async () => 1;
  const direct = async () => {
    for (let i = 0; i < n; i++) await call();
  };
  const scheduled = async () => {
    for (let i = 0; i < n; i++) await s.run(call);
  };
  await direct();
  await scheduled();
  const base = (await time(direct)) / n;
  const value = (await time(scheduled)) / n;
  return {
    case: `no-op call through scheduler (n=${n})`,
    value,
    unit: "ms/call",
    baseline: base,
    ratio: value / base,
  };
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
