import { afterEach, describe, expect, it } from "vitest";
import { BudgetError, type TargetError } from "../../src/core/errors.js";
import { type RetryInfo, Scheduler } from "../../src/core/scheduler.js";
import { postChat, type RateLimitedServer, startRateLimitedServer } from "../helpers/rate-limited-server.js";

let server: RateLimitedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Fast retries for tests: 1 ms backoff ceiling. */
const FAST = { baseDelayMs: 1, maxDelayMs: 2 } as const;

describe("Scheduler retries against a loopback server", () => {
  it("never sends more than maxTries requests for one failing call", async () => {
    server = await startRateLimitedServer({ script: () => ({ status: 500 }) });
    const s = new Scheduler({ concurrency: 2, maxTries: 3, ...FAST });
    const outs = await Promise.all([0, 1].map(() => s.run((signal) => postChat(server!.url, signal))));
    for (const out of outs) {
      expect(out.ok).toBe(false);
      expect(out.tries).toBe(3);
      if (!out.ok) expect((out.error as TargetError).kind).toBe("server");
    }
    expect(server.requests).toBe(6);
    expect(s.stats()).toMatchObject({ sent: 6, retries: 4, failed: 2, succeeded: 0 });
  });

  it("recovers after transient failures and reports tries and usage tokens", async () => {
    server = await startRateLimitedServer({ script: (n) => (n < 2 ? { status: 503 } : undefined) });
    const s = new Scheduler({ concurrency: 1, ...FAST });
    const out = await s.run((signal) => postChat(server!.url, signal), {
      estimatedTokens: 100,
      usage: (r) => r.totalTokens,
    });
    expect(out).toMatchObject({ ok: true, tries: 3, tokens: 6 });
    expect(server.requests).toBe(3);
    expect(s.stats().tokens).toBe(6);
  });

  it("honours Retry-After, capped at maxRetryAfterMs", async () => {
    const headers = [{ "retry-after": "2" }, { "retry-after": "3600" }];
    server = await startRateLimitedServer({
      script: (n) => (n < 2 ? { status: 429, headers: headers[n]! } : undefined),
    });
    const seen: RetryInfo[] = [];
    const slept: number[] = [];
    const s = new Scheduler({
      concurrency: 1,
      maxRetryAfterMs: 5000,
      sleep: async (ms) => void slept.push(ms),
      onRetry: (info) => seen.push(info),
    });
    const out = await s.run((signal) => postChat(server!.url, signal));
    expect(out).toMatchObject({ ok: true, tries: 3 });
    expect(seen.map((r) => r.delayMs)).toEqual([2000, 5000]);
    expect(seen.map((r) => r.error.kind)).toEqual(["rate_limit", "rate_limit"]);
    expect(slept[0]).toBe(2000);
    expect(s.stats().rateLimited).toBe(2);
  });

  it("draws backoff within the full-jitter bounds when there is no Retry-After", async () => {
    server = await startRateLimitedServer({ script: () => ({ status: 502 }) });
    const seen: RetryInfo[] = [];
    const s = new Scheduler({
      concurrency: 1,
      maxTries: 6,
      baseDelayMs: 100,
      maxDelayMs: 800,
      sleep: async () => {},
      onRetry: (info) => seen.push(info),
    });
    await s.run((signal) => postChat(server!.url, signal));
    expect(seen).toHaveLength(5);
    seen.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThan(Math.min(800, 100 * 2 ** i));
    });
  });

  it("stops the scheduler at the first auth error: no later call sends anything", async () => {
    server = await startRateLimitedServer({ script: () => ({ status: 401 }) });
    const s = new Scheduler({ concurrency: 1, ...FAST });
    const first = await s.run((signal) => postChat(server!.url, signal));
    expect(first.ok).toBe(false);
    if (!first.ok) expect(first.error).toMatchObject({ kind: "auth", fatal: true });
    const later = await Promise.all([1, 2, 3].map(() => s.run((signal) => postChat(server!.url, signal))));
    for (const out of later) {
      expect(out).toMatchObject({ ok: false, tries: 0 });
      if (!out.ok) expect(out.error).toBe(!first.ok && first.error);
    }
    expect(server.requests).toBe(1);
  });

  it("treats an exhausted quota (429 with billing text) as fatal, not as a rate limit", async () => {
    server = await startRateLimitedServer({
      script: () => ({ status: 429, body: '{"error":{"message":"You exceeded your current quota"}}' }),
    });
    const s = new Scheduler({ concurrency: 1, ...FAST });
    const out = await s.run((signal) => postChat(server!.url, signal));
    expect(out.ok || (out.error as TargetError).kind).toBe("quota");
    expect((await s.run((signal) => postChat(server!.url, signal))).tries).toBe(0);
    expect(server.requests).toBe(1);
  });

  it("wraps a non-TargetError exception as malformed, does not retry it, and keeps going", async () => {
    const s = new Scheduler({ concurrency: 1, ...FAST });
    let calls = 0;
    const out = await s.run(async () => {
      calls++;
      throw new TypeError("cannot read properties of undefined");
    });
    expect(calls).toBe(1);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error).toMatchObject({ kind: "malformed" });
      expect(out.error.message).toMatch(/Expected the call to fail with a TargetError, got TypeError/);
      expect(out.error.cause).toBeInstanceOf(TypeError);
    }
    expect((await s.run(async () => 42)).ok).toBe(true);
  });

  it("keeps at most `concurrency` requests in flight at the server", async () => {
    server = await startRateLimitedServer({ delayMs: 20 });
    const s = new Scheduler({ concurrency: 3 });
    const outs = await Promise.all(
      Array.from({ length: 12 }, () => s.run((signal) => postChat(server!.url, signal))),
    );
    expect(outs.every((o) => o.ok)).toBe(true);
    expect(server.maxInFlight).toBe(3);
    expect(s.stats()).toMatchObject({ sent: 12, succeeded: 12, inFlight: 0 });
  });

  it("halves concurrency on a 429 and raises it again after successes", async () => {
    server = await startRateLimitedServer({
      script: (n) => (n === 0 ? { status: 429, headers: { "retry-after-ms": "1" } } : undefined),
    });
    const s = new Scheduler({ concurrency: 4, raiseAfter: 2 });
    await s.run((signal) => postChat(server!.url, signal));
    expect(s.stats().concurrency).toBe(2);
    for (let i = 0; i < 4; i++) await s.run((signal) => postChat(server!.url, signal));
    expect(s.stats().concurrency).toBe(4);
  });
});

describe("Scheduler budgets", () => {
  it("stops sending at maxRequests, counting retries", async () => {
    server = await startRateLimitedServer({ script: (n) => (n === 0 ? { status: 500 } : undefined) });
    const s = new Scheduler({ concurrency: 1, maxRequests: 3, ...FAST });
    const outs = [];
    for (let i = 0; i < 4; i++) outs.push(await s.run((signal) => postChat(server!.url, signal)));
    expect(outs.map((o) => o.ok)).toEqual([true, true, false, false]);
    expect(outs[0]!.tries).toBe(2);
    const last = outs[3]!;
    if (!last.ok) {
      expect(last.error).toBeInstanceOf(BudgetError);
      expect(last.error.message).toMatch(/Expected at most 3 requests/);
    }
    expect(server.requests).toBe(3);
  });

  it("stops sending once real token usage reaches maxTokens", async () => {
    server = await startRateLimitedServer();
    const s = new Scheduler({ concurrency: 1, maxTokens: 12 });
    const cost = { estimatedTokens: 50, usage: (r: { totalTokens: number }) => r.totalTokens };
    const outs = [];
    for (let i = 0; i < 4; i++) outs.push(await s.run((signal) => postChat(server!.url, signal), cost));
    expect(outs.map((o) => o.ok)).toEqual([true, true, false, false]);
    expect(server.requests).toBe(2);
    expect(s.stats().tokens).toBe(12);
  });
});
