import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { kindForStatus, parseRetryAfter, TargetError } from "../../src/core/errors.js";

/** A scripted reply that overrides the normal one for a given request number. */
export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly hang: true }
  | { readonly delayMs: number };

export interface RateLimitedServerOptions {
  /** Requests allowed per window; unlimited when absent. */
  readonly limit?: number;
  /** Window in ms (sliding: counts accepted requests in the last `windowMs`). Default 60 000. */
  readonly windowMs?: number;
  /** Delay before every normal reply, ms. Default 0. */
  readonly delayMs?: number;
  /** Per-request override by 0-based arrival number (returning undefined means "normal"). */
  readonly script?: (n: number) => Reply | undefined;
}

/** A running server and what it saw. */
export interface RateLimitedServer {
  /** Base URL such as `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  /** Requests received (all of them, 429s included). */
  readonly requests: number;
  /** 429 replies sent because of the window limit. */
  readonly limited: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
  /** Arrival times (performance.now) of accepted requests. */
  readonly accepted: readonly number[];
  close(): Promise<void>;
}

const COMPLETION = JSON.stringify({
  id: "chatcmpl-loopback",
  object: "chat.completion",
  created: 0,
  model: "loopback",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
});

/**
 * A real node:http loopback server (127.0.0.1, random port) answering `POST /v1/chat/completions` with a
 * minimal OpenAI chat completion, enforcing `limit` requests per sliding `windowMs` with
 * 429 + `Retry-After` (seconds, rounded up) and `retry-after-ms`, and counting what it saw.
 */
export async function startRateLimitedServer(
  opts: RateLimitedServerOptions = {},
): Promise<RateLimitedServer> {
  const windowMs = opts.windowMs ?? 60_000;
  const accepted: number[] = [];
  const window: number[] = [];
  const open = new Set<ServerResponse>();
  let requests = 0;
  let limited = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const n = requests++;
    const now = performance.now();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    open.add(res);
    res.on("close", () => {
      inFlight--;
      open.delete(res);
    });
    req.resume();
    const reply = opts.script?.(n);
    if (reply && "hang" in reply) return;
    if (reply && "status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}` } }));
      return;
    }
    if (opts.limit !== undefined) {
      while (window.length > 0 && window[0]! <= now - windowMs) window.shift();
      if (window.length >= opts.limit) {
        limited++;
        const waitMs = Math.max(1, window[0]! + windowMs - now);
        res.writeHead(429, {
          "content-type": "application/json",
          "retry-after": String(Math.ceil(waitMs / 1000)),
          "retry-after-ms": String(Math.ceil(waitMs)),
        });
        res.end(JSON.stringify({ error: { message: "Rate limit reached for requests" } }));
        return;
      }
    }
    accepted.push(now);
    window.push(now);
    const delay = reply && "delayMs" in reply ? reply.delayMs : (opts.delayMs ?? 0);
    const send = (): void => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(COMPLETION);
    };
    if (delay > 0) setTimeout(send, delay);
    else send();
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get limited() {
      return limited;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What {@link postChat} returns: the parsed completion text and usage. */
export interface ChatReply {
  readonly text: string;
  readonly totalTokens: number;
}

/**
 * A plain fetch-based chat call that classifies failures into `TargetError`s the way HTTP targets do
 * (status → kind, Retry-After parsed), for driving the scheduler in tests and benchmarks.
 */
export async function postChat(baseUrl: string, signal?: AbortSignal): Promise<ChatReply> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model":"loopback","messages":[{"role":"user","content":"hi"}],"max_tokens":1}',
      signal: signal ?? null,
    });
  } catch (err) {
    throw new TargetError("connection", `Expected a response from ${baseUrl}, got a network error`, {
      cause: err,
    });
  }
  const body = await res.text();
  if (!res.ok) {
    const retryAfterMs = parseRetryAfter(res.headers);
    throw new TargetError(kindForStatus(res.status, body), `HTTP ${res.status}: ${body.slice(0, 200)}`, {
      status: res.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  try {
    const json = JSON.parse(body) as {
      choices: { message: { content: string } }[];
      usage: { total_tokens: number };
    };
    return { text: json.choices[0]!.message.content, totalTokens: json.usage.total_tokens };
  } catch (err) {
    throw new TargetError("malformed", `Expected chat completion JSON, got ${body.slice(0, 80)}`, {
      cause: err,
    });
  }
}
