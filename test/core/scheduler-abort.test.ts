import { afterEach, describe, expect, it } from "vitest";
import type { TargetError } from "../../src/core/errors.js";
import { type Outcome, Scheduler } from "../../src/core/scheduler.js";
import { postChat, type RateLimitedServer, startRateLimitedServer } from "../helpers/rate-limited-server.js";

let server: RateLimitedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function kindOf(out: Outcome<unknown>): string | undefined {
  return out.ok ? undefined : (out.error as TargetError).kind;
}

/** Resolve once the server has received `n` requests. */
async function untilRequests(s: RateLimitedServer, n: number): Promise<void> {
  while (s.requests < n) await new Promise((r) => setTimeout(r, 5));
}

describe("Scheduler deadlines and cancellation", () => {
  it("turns a hanging request into a timeout, retried up to maxTries", async () => {
    server = await startRateLimitedServer({ script: () => ({ hang: true }) });
    const s = new Scheduler({ concurrency: 1, timeoutMs: 250, maxTries: 2, baseDelayMs: 1, maxDelayMs: 1 });
    const out = await s.run((signal) => postChat(server!.url, signal));
    expect(kindOf(out)).toBe("timeout");
    expect(out.tries).toBe(2);
    // On a loaded machine a try can time out before its request reaches the server; never more than 2.
    expect(server.requests).toBeGreaterThanOrEqual(1);
    expect(server.requests).toBeLessThanOrEqual(2);
    if (!out.ok) expect(out.error.message).toMatch(/within 250 ms/);
  });

  it("times out a call that ignores its signal", async () => {
    const s = new Scheduler({ concurrency: 1, timeoutMs: 50, maxTries: 1 });
    const out = await s.run(() => new Promise<never>(() => {}));
    expect(kindOf(out)).toBe("timeout");
  });

  it("parent abort ends in-flight and queued calls as aborted, without further sends", async () => {
    server = await startRateLimitedServer({ script: () => ({ hang: true }) });
    const parent = new AbortController();
    const s = new Scheduler({ concurrency: 1, timeoutMs: 60_000, signal: parent.signal });
    const pending = [0, 1, 2].map(() => s.run((signal) => postChat(server!.url, signal)));
    await untilRequests(server, 1);
    parent.abort(new Error("Ctrl-C"));
    const outs = await Promise.all(pending);
    expect(outs.map(kindOf)).toEqual(["aborted", "aborted", "aborted"]);
    expect(outs.map((o) => o.tries)).toEqual([1, 0, 0]);
    const later = await s.run((signal) => postChat(server!.url, signal));
    expect(kindOf(later)).toBe("aborted");
    expect(server.requests).toBe(1);
    expect(s.stats().inFlight).toBe(0);
  });

  it("parent abort during a backoff wait returns aborted at once and sends nothing more", async () => {
    server = await startRateLimitedServer({ script: () => ({ status: 500 }) });
    const parent = new AbortController();
    const s = new Scheduler({
      concurrency: 1,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      signal: parent.signal,
    });
    const pending = s.run((signal) => postChat(server!.url, signal));
    await untilRequests(server, 1);
    parent.abort();
    const out = await pending;
    expect(kindOf(out)).toBe("aborted");
    expect(out.tries).toBe(1);
    expect(server.requests).toBe(1);
  });

  it("refuses a deadline a timer cannot hold, and a concurrency below 1, when constructed", () => {
    expect(() => new Scheduler({ concurrency: 1, timeoutMs: 2 ** 31 })).toThrow(/Expected timeoutMs/);
    expect(() => new Scheduler({ concurrency: 1, timeoutMs: 0 })).toThrow(/got 0/);
    expect(() => new Scheduler({ concurrency: 0 })).toThrow(/Expected concurrency/);
  });
});
