/**
 * A real node:http server on 127.0.0.1 speaking the OpenAI wire format (and TGI `/generate`), whose
 * behaviour is scripted per request: rate limits with Retry-After, 5xx, hangs, malformed JSON,
 * connection resets, slow bodies, or a deterministic success. Every request is recorded so tests can
 * assert how many calls a client made (e.g. "no request sent more than 3 times").
 *
 * @example
 * const fs = await startFaultServer({
 *   script: (n) => (n === 1 ? { kind: "rateLimit", retryAfter: "2" } : { kind: "ok", text: "hi" }),
 * });
 * const client = new OpenAI({ baseURL: fs.baseURL, apiKey: "test", maxRetries: 0 });
 * // ... fs.requests.length, fs.count("/v1/completions")
 * await fs.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { successBody } from "./wire-server.js";

/** What the server does with one request. */
export type Fault =
  /** 200 with a deterministic OpenAI-shaped body (see `successBody`); `text` defaults to "ok". */
  | {
      readonly kind: "ok";
      readonly text?: string;
      readonly delayMs?: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Any status with a JSON body (default: an OpenAI-style error object) and extra headers. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** 429; `retryAfter` (seconds or HTTP date) and/or `retryAfterMs` headers; `quota` sends insufficient_quota. */
  | {
      readonly kind: "rateLimit";
      readonly retryAfter?: string;
      readonly retryAfterMs?: string;
      readonly quota?: boolean;
    }
  /** Accept the request and never answer (until the server closes). */
  | { readonly kind: "hang" }
  /** Headers say JSON, body is not JSON. */
  | { readonly kind: "malformed"; readonly status?: number; readonly body?: string }
  /** Valid JSON of any shape (e.g. missing `choices`), status 200. */
  | { readonly kind: "json"; readonly body: unknown; readonly status?: number }
  /** Destroy the socket without answering (client sees ECONNRESET / "socket hang up"). */
  | { readonly kind: "reset" }
  /** 200 success body sent in `chunks` pieces, `chunkDelayMs` apart (headers sent at once). */
  | {
      readonly kind: "slow";
      readonly chunkDelayMs: number;
      readonly chunks?: number;
      readonly text?: string;
    };

/** One request as the server received it. */
export interface RecordedRequest {
  /** 1-based arrival number. */
  readonly n: number;
  readonly method: string;
  /** Path without query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, or the raw string when it is not JSON (undefined when empty). */
  readonly body: unknown;
}

/** Decides the fault for request number `n` (1-based). May be async. */
export type FaultScript = (n: number, req: RecordedRequest) => Fault | Promise<Fault>;

export interface FaultServer {
  /** `http://127.0.0.1:PORT` (TGI routes live here). */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v1`, the OpenAI SDK `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Number of requests received, optionally only those to `path`. */
  count(path?: string): number;
  /** Stop listening and destroy open sockets (hanging requests included). */
  close(): Promise<void>;
}

/** Options for {@link startFaultServer}; the default script answers every request with `{kind: "ok"}`. */
export interface FaultServerOptions {
  readonly script?: FaultScript;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(parts).toString("utf8");
      if (raw === "") return resolve(undefined);
      try {
        resolve(JSON.parse(raw));
      } catch {
        resolve(raw);
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function errorBody(
  status: number,
  message: string,
  type = "invalid_request_error",
  code: string | null = null,
) {
  return { error: { message, type, param: null, code }, status };
}

async function apply(fault: Fault, req: RecordedRequest, res: ServerResponse, socket: Socket): Promise<void> {
  switch (fault.kind) {
    case "ok": {
      if (fault.delayMs) await sleep(fault.delayMs);
      const body = successBody(req.path, req.body, fault.text ?? "ok");
      if (body === undefined) return sendJson(res, 404, errorBody(404, `No route ${req.path}`));
      return sendJson(res, 200, body, { ...fault.headers });
    }
    case "status":
      return sendJson(res, fault.status, fault.body ?? errorBody(fault.status, `scripted ${fault.status}`), {
        ...fault.headers,
      });
    case "rateLimit": {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
      const body = fault.quota
        ? errorBody(429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota")
        : errorBody(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
      return sendJson(res, 429, body, headers);
    }
    case "hang":
      return;
    case "malformed": {
      const text = fault.body ?? '{"choices": [ {"text": "unterminated';
      res.writeHead(fault.status ?? 200, { "content-type": "application/json" });
      res.end(text);
      return;
    }
    case "json":
      return sendJson(res, fault.status ?? 200, fault.body);
    case "reset":
      socket.destroy();
      return;
    case "slow": {
      const text = JSON.stringify(successBody(req.path, req.body, fault.text ?? "ok") ?? {});
      const chunks = Math.max(1, fault.chunks ?? 4);
      const size = Math.ceil(text.length / chunks);
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < text.length; i += size) {
        if (res.destroyed) return;
        res.write(text.slice(i, i + size));
        await sleep(fault.chunkDelayMs);
      }
      res.end();
      return;
    }
  }
}

/**
 * Start a scripted OpenAI/TGI wire server on `127.0.0.1:0` (a free port).
 * Call `close()` in `afterAll`/`afterEach`.
 */
export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const script: FaultScript = opts.script ?? (() => ({ kind: "ok" }));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const rec: RecordedRequest = {
      n: requests.length + 1,
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      headers: req.headers,
      body,
    };
    requests.push(rec);
    try {
      await apply(await script(rec.n, rec), rec, res, req.socket);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `fault script threw: ${String(err)}`));
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    requests,
    count: (path?: string) => (path ? requests.filter((r) => r.path === path).length : requests.length),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
