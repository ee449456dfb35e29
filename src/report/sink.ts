import { appendFile, open } from "node:fs/promises";
import type { ReportEvent } from "./events.js";

/** Where the runner writes events. Only the runner writes. */
export interface EventSink {
  write(event: ReportEvent): Promise<void>;
  close(): Promise<void>;
}

/** Keeps events in memory (library use, tests). */
export class MemorySink implements EventSink {
  readonly events: ReportEvent[] = [];
  async write(event: ReportEvent): Promise<void> {
    this.events.push(event);
  }
  async close(): Promise<void> {}
}

/**
 * Append-only JSONL file. Each event is one `appendFile` of one line, written in order, so a crash
 * leaves at most a torn last line, which the reader skips.
 */
export class JsonlSink implements EventSink {
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}

  write(event: ReportEvent): Promise<void> {
    const line = `${JSON.stringify(event)}\n`;
    this.chain = this.chain.then(() => appendFile(this.path, line, "utf8"));
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain;
    const fh = await open(this.path, "a");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

/** Fan out to several sinks. */
export class TeeSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}
  async write(event: ReportEvent): Promise<void> {
    for (const s of this.sinks) await s.write(event);
  }
  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
  }
}
