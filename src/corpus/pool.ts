/**
 * A fixed pool of worker threads running src/corpus/worker.ts. Each worker handles one message at a time;
 * `runOn` queues on a given worker (so a shard keeps going to the worker that has it cached), `run` on the
 * least busy one. Under tsx (sources), workers load the .ts entry through tsx as well.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ConfigError } from "../core/errors.js";
import type { WorkerReply, WorkerRequest } from "./worker-protocol.js";

/** The worker entry: the compiled .js, or under tsx the .ts source loaded through tsx's register(). */
function spawn(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./worker.js", here));
  const pkg = createRequire(here).resolve("tsx/package.json");
  const api = pathToFileURL(join(dirname(pkg), "dist/esm/api/index.mjs")).href;
  const src = new URL("./worker.ts", here).href;
  const code = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(src)}); });`;
  return new Worker(code, { eval: true });
}

interface Slot {
  readonly worker: Worker;
  tail: Promise<unknown>;
  pending: number;
}

/** Worker threads for building and querying shards. */
export class WorkerPool {
  private readonly slots: Slot[];

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => {
      const worker = spawn();
      worker.unref();
      return { worker, tail: Promise.resolve(), pending: 0 };
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Messages queued or running on all workers. */
  get pending(): number {
    return this.slots.reduce((n, s) => n + s.pending, 0);
  }

  /**
   * Run `req` on worker `i % size`, after what is already queued there. Buffers in `transfer` move to
   * the worker (they are unusable here afterwards).
   */
  runOn<T>(i: number, req: WorkerRequest, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    const slot = this.slots[i % this.slots.length]!;
    slot.pending++;
    const result = slot.tail.then(() => call<T>(slot.worker, req, transfer));
    slot.tail = result.catch(() => undefined);
    return result.finally(() => {
      slot.pending--;
    });
  }

  /** Run `req` on the least busy worker (`transfer` as for `runOn`). */
  run<T>(req: WorkerRequest, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    let best = 0;
    this.slots.forEach((s, i) => {
      if (s.pending < this.slots[best]!.pending) best = i;
    });
    return this.runOn<T>(best, req, transfer);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function call<T>(worker: Worker, req: WorkerRequest, transfer: readonly ArrayBuffer[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanup();
      if (reply.ok) resolve(reply.value as T);
      else reject(reply.config ? new ConfigError(reply.message) : new Error(reply.message));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`corpus index worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      worker.unref();
    };
    worker.ref();
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(req, [...transfer]);
  });
}
