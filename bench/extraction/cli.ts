/** The real memscan CLI as child processes: `memscan serve` for the HTTP path and `memscan scan` runs. */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ReportEvent } from "../../src/report/events.js";
import { readEvents } from "../../src/report/read.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = [process.execPath, "--import", "tsx", join(ROOT, "src/cli/run.ts")] as const;

/** The command line that reproduces a CLI call (for the printed report). */
export function shown(args: readonly string[]): string {
  return `npx tsx src/cli/run.ts ${args.map((a) => (/[\s"'<>|&;$]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
}

/** A running `memscan serve`. */
export interface Served {
  readonly url: string;
  readonly command: string;
  stop(): Promise<void>;
}

/** Start `memscan serve --model <gguf> --port 0` and wait for the URL it prints. */
export async function serve(model: string): Promise<Served> {
  const args = ["serve", "--model", model, "--port", "0"];
  const child: ChildProcess = spawn(CLI[0], [...CLI.slice(1), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((res, rej) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = / at (http:\/\/[^\s]+) \(/.exec(err);
      if (m) res(m[1]!);
    });
    child.on("exit", (code) => rej(new Error(`memscan serve exited ${code}: ${err}`)));
  });
  return {
    url,
    command: shown(args),
    stop: () =>
      new Promise<void>((res) => {
        child.once("exit", () => res());
        child.kill("SIGTERM");
      }),
  };
}

/** The events of the (last) run in `out`. */
export async function lastRun(out: string): Promise<ReportEvent[]> {
  const runs = (await readdir(out)).sort();
  return readEvents(join(out, runs.at(-1)!));
}

/** Run `memscan scan --config <file>` into `out`; resolve with the run's events. */
export async function scan(config: string, out: string): Promise<{ events: ReportEvent[]; command: string }> {
  const args = ["scan", "--config", config, "--out", out, "--no-progress", "--fail-on", "errors>0"];
  const code = await new Promise<number | null>((res, rej) => {
    const child = spawn(CLI[0], [...CLI.slice(1), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", rej);
    child.on("exit", (c) => res(c));
  });
  if (code !== 0 && code !== 1) throw new Error(`memscan scan exited ${code} (${shown(args)})`);
  return { events: await lastRun(out), command: shown(args) };
}
