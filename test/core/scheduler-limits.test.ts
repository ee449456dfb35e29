import { afterEach, describe, expect, it } from "vitest";
import { Scheduler } from "../../src/core/scheduler.js";
import { postChat, type RateLimitedServer, startRateLimitedServer } from "../helpers/rate-limited-server.js";

let server: RateLimitedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fake clock whose sleep advances it, so rate math runs instantly and exactly. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe("Scheduler rate limits", () => {
  it("the loopback server does enforce its limit (control: no rpm set -> 429s)", async () => {
    server = await startRateLimitedServer({ limit: 5, windowMs: 400 });
    const s = new Scheduler({ concurrency: 4, maxTries: 1, adaptive: false });
    await Promise.all(Array.from({ length: 12 }, () => s.run((signal) => postChat(server!.url, signal))));
    expect(server.limited).toBeGreaterThan(0);
  });

  it("with rpm set to the server's limit, memscan causes no 429 at all", async () => {
    server = await startRateLimitedServer({ limit: 5, windowMs: 400 });
    const s = new Scheduler({ concurrency: 4, rpm: { limit: 5, windowMs: 400 }, maxTries: 1 });
    const outs = await Promise.all(
      Array.from({ length: 16 }, () => s.run((signal) => postChat(server!.url, signal))),
    );
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(server.limited).toBe(0);
    expect(server.requests).toBe(16);
  });

  it("paces requests exactly at (limit - burst) per window under a fake clock", async () => {
    const time = fakeTime();
    const s = new Scheduler({
      concurrency: 1,
      rpm: { limit: 60, windowMs: 60_000, burst: 2, marginMs: 0 },
      ...time,
    });
    const sends: number[] = [];
    for (let i = 0; i < 10; i++) await s.run(async () => sends.push(time.now()));
    const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
    expect(gaps[0]).toBe(0); // the burst of 2
    for (const g of gaps.slice(1)) expect(g).toBeCloseTo(60_000 / 58, 6);
  });

  it("charges TPM by estimate up front and refunds unused tokens up to the burst", async () => {
    const time = fakeTime();
    const s = new Scheduler({
      concurrency: 1,
      tpm: { limit: 100, windowMs: 1000, burst: 20, marginMs: 0 },
      ...time,
    });
    const sends: number[] = [];
    const cost = { estimatedTokens: 50, usage: () => 10 };
    for (let i = 0; i < 10; i++) await s.run(async () => sends.push(time.now()), cost);
    // Hand-checked: refill 80/1000 per ms; each call takes 50 from a full bucket of 20 (wait 30/0.08 = 375 ms),
    // then 40 come back, capped at the burst of 20 (estimate-only pacing would be 50/0.08 = 625 ms).
    const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
    expect(sends[0]).toBeCloseTo(375, 6);
    for (const g of gaps) expect(g).toBeCloseTo(375, 6);
    expect(s.stats().tokens).toBe(100);
  });

  it("charges usage above the estimate, so later calls wait for it", async () => {
    const time = fakeTime();
    const s = new Scheduler({
      concurrency: 1,
      tpm: { limit: 101, windowMs: 1000, burst: 1, marginMs: 0 },
      ...time,
    });
    const sends: number[] = [];
    const cost = { estimatedTokens: 10, usage: () => 50 };
    for (let i = 0; i < 6; i++) await s.run(async () => sends.push(time.now()), cost);
    const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(50 / 0.1, 6); // real usage 50 at 100 per 1000 ms
    for (const start of sends) {
      expect(sends.filter((t) => t >= start && t < start + 1000).length * 50).toBeLessThanOrEqual(101);
    }
  });

  it("pauses every call until a reported rate-limit reset (the x-ratelimit hook)", async () => {
    const time = fakeTime();
    const s = new Scheduler({ concurrency: 1, ...time });
    const sends: number[] = [];
    await s.run(async () => sends.push(time.now()), {
      rateLimit: () => ({ remainingRequests: 0, resetRequestsMs: 1500 }),
    });
    await s.run(async () => sends.push(time.now()));
    expect(sends).toEqual([0, 1500]);
  });
});
