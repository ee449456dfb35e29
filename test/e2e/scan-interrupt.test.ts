/**
 * Stopping early through the real CLI: a request budget and Ctrl-C both stop a scan of a real model
 * cleanly (exit 3, a resume command printed, the log closed with `run.finished: interrupted`), and a
 * resumed start finishes the run. Budgets hold for the whole run, across starts.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportEvent } from "../../src/report/events.js";
import type { Summary } from "../../src/report/summary.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { DEMO } from "../helpers/lab.js";
import { startRecordingProxy } from "../helpers/recording-proxy.js";
import { tempDir } from "../helpers/temp.js";
import { isCanaryAttempt } from "../serve/serve-helpers.js";

type Proxy = Awaited<ReturnType<typeof startRecordingProxy>>;

let server: RunningServer;
let proxy: Proxy;

beforeAll(async () => {
  server = await startServer({ modelPath: DEMO.overfit });
  proxy = await startRecordingProxy(server.url);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function args(out: string, extra: readonly string[] = []): string[] {
  return [
    "scan",
    ...["--target", "openai", "--base-url", `${proxy.url}/v1`, "--model", "overfit"],
    ...["--canaries", DEMO.canaries, "--probe", "extraction.canary", "--concurrency", "2"],
    ...["--out", out, "--json", "--no-progress", ...extra],
  ];
}

/** The probe's requests (they carry a canary prefix; connect-time capability probes do not). */
const completions = () => proxy.requests.filter((r) => isCanaryAttempt(r.body));

function log(runDir: string): ReportEvent[] {
  return readFileSync(join(runDir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ReportEvent);
}

describe("a request budget", () => {
  it("stops the run, holds across resumed starts, and a raised budget finishes it", async () => {
    const out = await tempDir("memscan-budget-");
    const first = await runCli(args(out, ["--max-requests", "10"]));
    const runDir = join(out, (await readdir(out))[0]!);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/at most 10 requests/);
    expect(first.stderr).toContain(`memscan scan --resume ${runDir} --max-requests <more>`);
    const s1 = JSON.parse(first.stdout) as Summary;
    expect(s1.status).toBe("interrupted");
    expect(s1.target.probes[0]!.attempts).toBe(10);
    expect(s1.target.requests).toBe(10);

    // Resuming without raising the budget sends nothing more: the run's 10 requests are spent.
    const before = completions().length;
    const again = await runCli(["scan", "--resume", runDir, "--json", "--no-progress"]);
    expect(again.code).toBe(3);
    expect(completions().length).toBe(before);

    const done = await runCli([
      "scan",
      "--resume",
      runDir,
      "--max-requests",
      "1000",
      "--json",
      "--no-progress",
    ]);
    expect(done.code).toBe(1); // completed, and the canaries leak
    const s3 = JSON.parse(done.stdout) as Summary;
    expect(s3.status).toBe("completed");
    expect(s3.target.probes[0]!.attempts).toBe(48);
    expect(s3.target.requests).toBe(48);
  }, 120_000);
});

describe("Ctrl-C", () => {
  it("cancels the requests in flight, closes the log, prints the resume command; resume finishes", async () => {
    const out = await tempDir("memscan-sigint-");
    const child = spawnCli(args(out));
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const sent = completions().length;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (completions().length - sent >= 6) {
          clearInterval(timer);
          child.kill("SIGINT");
          resolve();
        }
      }, 10);
    });
    const code = await new Promise<number | null>((r) => child.once("close", (c) => r(c)));
    const runDir = join(out, (await readdir(out))[0]!);
    expect(code).toBe(3);
    expect(stderr).toContain("Stopping: cancelling the requests in flight");
    expect(stderr).toContain(`memscan scan --resume ${runDir}`);
    const events = log(runDir);
    const finished = events.at(-1)!;
    expect(finished.type).toBe("run.finished");
    expect(finished.type === "run.finished" && finished.status).toBe("interrupted");
    const ok = events.filter((e) => e.type === "attempt" && e.status === "ok").length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(48);

    const res = await runCli(["scan", "--resume", runDir, "--json", "--no-progress"]);
    const s = JSON.parse(res.stdout) as Summary;
    expect(s.status).toBe("completed");
    expect(s.target.probes[0]!.attempts).toBe(48);
    expect(s.target.probes[0]!.errors).toBe(0);
  }, 120_000);
});
