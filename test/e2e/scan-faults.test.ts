/**
 * A scan through the real CLI against a loopback server that misbehaves the way real endpoints do:
 * 429 with Retry-After, 500s, hangs past the timeout, malformed JSON and connection resets. The scan must
 * finish, account for every attempt as a success or a recorded error, and never send one request more
 * than the retry bound.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttemptEvent } from "../../src/report/events.js";
import type { Summary } from "../../src/report/summary.js";
import { runCli } from "../helpers/cli.js";
import {
  type Fault,
  type FaultServer,
  type RecordedRequest,
  startFaultServer,
} from "../helpers/fault-server.js";
import { DEMO } from "../helpers/lab.js";
import { tempDir } from "../helpers/temp.js";
import { demoCanaries } from "../serve/serve-helpers.js";

const MAX_TRIES = 3;
const PREFIXES = demoCanaries.map((c) => c.prefix);

/** The probe's requests carry a canary prefix; connect-time capability probes do not (they always succeed). */
function attemptKey(req: RecordedRequest): string | undefined {
  const body = req.body as { prompt?: unknown } | undefined;
  const prompt = typeof body?.prompt === "string" ? body.prompt : "";
  return PREFIXES.some((p) => prompt.includes(p)) ? JSON.stringify(body) : undefined;
}

/** What the n-th try (1-based) of the i-th distinct attempt gets. Six behaviours, cycled over attempts. */
function faultFor(i: number, tryNo: number): Fault {
  switch (i % 6) {
    case 1:
      return tryNo === 1 ? { kind: "rateLimit", retryAfter: "1" } : { kind: "ok" };
    case 2:
      return tryNo <= 2 ? { kind: "status", status: 500 } : { kind: "ok" };
    case 3:
      return tryNo === 1 ? { kind: "hang" } : { kind: "ok" };
    case 4:
      return tryNo === 1 ? { kind: "malformed" } : { kind: "ok" };
    case 5:
      return { kind: "reset" }; // never recovers: an error after MAX_TRIES tries
    default:
      return { kind: "ok" };
  }
}

describe("scan against a faulty OpenAI-compatible server", () => {
  let server: FaultServer;
  const order = new Map<string, number>();
  const tries = new Map<string, number>();
  let summary: Summary;
  let attempts: AttemptEvent[];
  let code: number | null;

  beforeAll(async () => {
    server = await startFaultServer({
      script: (_n, req) => {
        const key = attemptKey(req);
        if (key === undefined) return { kind: "ok" };
        if (!order.has(key)) order.set(key, order.size);
        const t = (tries.get(key) ?? 0) + 1;
        tries.set(key, t);
        return faultFor(order.get(key)!, t);
      },
    });
    const out = await tempDir("memscan-faults-");
    const res = await runCli([
      "scan",
      ...["--target", "openai", "--base-url", server.baseURL, "--model", "flaky"],
      ...["--canaries", DEMO.canaries, "--probe", "extraction.canary"],
      ...["--timeout-ms", "1500", "--max-tries", String(MAX_TRIES), "--concurrency", "6"],
      ...["--out", out, "--json", "--no-progress"],
    ]);
    code = res.code;
    if (res.stdout.trim() === "") throw new Error(`no summary; stderr:\n${res.stderr}`);
    summary = JSON.parse(res.stdout) as Summary;
    const log = await readFile(join(out, summary.runId, "events.jsonl"), "utf8");
    attempts = log
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AttemptEvent)
      .filter((e) => e.type === "attempt");
  }, 120_000);

  afterAll(() => server?.close());

  it("finishes the run (errors are recorded, not fatal)", () => {
    expect(summary.status).toBe("completed");
    expect(code).toBe(0);
  });

  it("accounts for every attempt exactly once, as ok or as a recorded error", () => {
    expect(attempts.length).toBe(order.size);
    expect(new Set(attempts.map((a) => a.attempt)).size).toBe(attempts.length);
    const failing = [...order.values()].filter((i) => i % 6 === 5).length;
    const errors = attempts.filter((a) => a.status === "error");
    expect(errors.length).toBe(failing);
    for (const e of errors) expect(e.error?.kind).toBe("connection");
    const probe = summary.target.probes.find((p) => p.id === "extraction.canary")!;
    expect(probe.attempts).toBe(order.size);
    expect(probe.errors).toBe(failing);
  });

  it("never sends a request more than the retry bound, and records every try it sent", () => {
    for (const n of tries.values()) expect(n).toBeLessThanOrEqual(MAX_TRIES);
    const sent = [...tries.values()].reduce((a, b) => a + b, 0);
    expect(attempts.reduce((s, a) => s + a.tries, 0)).toBe(sent);
    // Each behaviour took the tries it should have: 429 and malformed and hang once, 500 twice.
    for (const [key, i] of order) {
      const expected = [1, 2, 3, 2, 2, MAX_TRIES][i % 6];
      expect(tries.get(key), `attempt #${i}`).toBe(expected);
    }
  });
});
