/**
 * Crash safety through the real CLI: `kill -9` in the middle of a scan of a real model behind a
 * recording proxy, then `memscan scan --resume <run>`. The resumed run's summary must equal an
 * uninterrupted run's, and no request that had completed before the crash may be sent again.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttemptEvent, ReportEvent } from "../../src/report/events.js";
import type { Summary } from "../../src/report/summary.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { DEMO } from "../helpers/lab.js";
import { startRecordingProxy } from "../helpers/recording-proxy.js";
import { tempDir } from "../helpers/temp.js";
import { isCanaryAttempt } from "../serve/serve-helpers.js";

type Proxy = Awaited<ReturnType<typeof startRecordingProxy>>;

const isAttempt = isCanaryAttempt;

function scanArgs(proxy: Proxy, out: string): string[] {
  return [
    "scan",
    ...["--target", "openai", "--base-url", `${proxy.url}/v1`, "--model", "overfit"],
    ...["--canaries", DEMO.canaries, "--probe", "extraction.canary", "--concurrency", "2"],
    ...["--out", out, "--json", "--no-progress"],
  ];
}

function events(runDir: string): ReportEvent[] {
  const path = join(runDir, "events.jsonl");
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  const out: ReportEvent[] = [];
  for (const l of lines) {
    try {
      out.push(JSON.parse(l) as ReportEvent);
    } catch {
      // an empty or torn last line
    }
  }
  return out;
}

const okAttempts = (evs: readonly ReportEvent[]) =>
  evs.filter((e): e is AttemptEvent => e.type === "attempt" && e.status === "ok");

/** A summary without what differs between two runs by construction (the run id). */
function comparable(s: Summary): Omit<Summary, "runId"> {
  const { runId: _, ...rest } = s;
  return rest;
}

describe("kill -9 mid-scan, then --resume", () => {
  let server: RunningServer;
  let proxy: Proxy;
  let reference: Summary;
  let resumed: Summary;
  let resumedCode: number | null;
  let completedBeforeKill: AttemptEvent[] = [];
  /** Attempt requests the proxy had seen when the scan was killed. */
  let sentBeforeKill = 0;
  let runDir = "";

  beforeAll(async () => {
    server = await startServer({ modelPath: DEMO.overfit });
    proxy = await startRecordingProxy(server.url);
    const out = await tempDir("memscan-resume-");

    const full = await runCli(scanArgs(proxy, join(out, "full")));
    reference = JSON.parse(full.stdout) as Summary;
    proxy.requests.length = 0;

    const child = spawnCli(scanArgs(proxy, join(out, "crash")));
    const crashOut = join(out, "crash");
    // Wait for a dozen committed attempts, then kill without warning.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const dirs = existsSync(crashOut) ? readdirSync(crashOut) : [];
        if (dirs.length === 1) runDir = join(crashOut, dirs[0]!);
        if (runDir && okAttempts(events(runDir)).length >= 12) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        if (!child.killed) reject(new Error("the scan finished before it could be killed"));
      });
    });
    await new Promise((r) => child.once("close", r));
    // A request the child wrote just before it died may still be in the proxy's socket buffer:
    // count what it sent only once all its connections are closed.
    await proxy.idle();
    sentBeforeKill = proxy.requests.filter((r) => isAttempt(r.body)).length;
    completedBeforeKill = okAttempts(events(runDir));

    const res = await runCli(["scan", "--resume", runDir, "--json", "--no-progress"]);
    resumedCode = res.code;
    if (res.stdout.trim() === "") throw new Error(`resume printed no summary; stderr:\n${res.stderr}`);
    resumed = JSON.parse(res.stdout) as Summary;
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it("was really interrupted part-way", () => {
    expect(completedBeforeKill.length).toBeGreaterThanOrEqual(12);
    expect(completedBeforeKill.length).toBeLessThan(reference.target.probes[0]!.attempts);
  });

  it("the resumed summary equals an uninterrupted run's", () => {
    expect(resumed.status).toBe("completed");
    expect(comparable(resumed)).toEqual(comparable(reference));
    expect(resumedCode).toBe(reference.exitCode);
  });

  it("never sends a request again that had completed before the crash", () => {
    const attemptBodies = proxy.requests.filter((r) => isAttempt(r.body)).map((r) => r.body);
    const total = reference.target.probes[0]!.attempts;
    // Every attempt reached the server.
    expect(new Set(attemptBodies).size).toBe(total);
    // After the kill, exactly the attempts without a committed result were sent, each once: the
    // completed ones were not sent again (at most the requests in flight at the kill are repeated).
    const afterKill = attemptBodies.slice(sentBeforeKill);
    expect(new Set(afterKill).size).toBe(afterKill.length);
    expect(afterKill.length).toBe(total - completedBeforeKill.length);
    expect(sentBeforeKill - completedBeforeKill.length).toBeLessThanOrEqual(2); // --concurrency 2
    const all = events(runDir);
    const starts = all.filter((e) => e.type === "run.started");
    expect(starts.map((e) => (e.type === "run.started" ? e.resumed : null))).toEqual([false, true]);
    const keys = okAttempts(all).map((a) => a.journalKey);
    expect(new Set(keys).size).toBe(keys.length); // no attempt committed twice
  });
});
