import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { type ReportEvent, SCHEMA_VERSION } from "./events.js";

export const EVENTS_FILE = "events.jsonl";

/** Accept a run directory or its events.jsonl path. */
export function eventsPath(run: string): string {
  if (existsSync(run) && statSync(run).isDirectory()) return join(run, EVENTS_FILE);
  return run;
}

/**
 * Read a run's event log. A torn last line (a crash mid-write) is skipped; any other bad line is an error.
 */
export async function readEvents(run: string): Promise<ReportEvent[]> {
  const path = eventsPath(run);
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `Cannot read run events at ${path}: expected a run directory written by memscan scan.`,
      {
        cause: err,
      },
    );
  }
  const lines = raw.split("\n");
  const events: ReportEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    try {
      const ev = JSON.parse(line) as ReportEvent;
      if (ev.v !== SCHEMA_VERSION) {
        throw new ConfigError(
          `${path}:${i + 1}: event schema v${ev.v}, this memscan reads v${SCHEMA_VERSION}.`,
        );
      }
      events.push(ev);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const isLast = lines.slice(i + 1).every((l) => l.trim() === "");
      if (isLast) break;
      throw new ConfigError(`${path}:${i + 1}: not a JSON event line; the log is damaged.`, { cause: err });
    }
  }
  return events;
}
