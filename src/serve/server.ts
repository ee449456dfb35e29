/**
 * `memscan serve`: a loopback HTTP server (node:http, no framework) over a local GGUF model, speaking the
 * real wire formats of OpenAI completions/chat, vLLM's prompt log-probs and TGI's `/generate`, so every HTTP
 * target adapter can be tested end to end against a model that really memorized something.
 *
 * Routes: `GET /v1/models`, `POST /v1/completions`, `POST /v1/chat/completions`, `POST /generate`,
 * `GET /info`, `POST /tokenize` (llama.cpp and vLLM shapes), `GET /health`. Errors use OpenAI's `{error: {message, type, param, code}}` body (TGI routes:
 * `{error, error_type}`); 401 without the bearer key when one is set, 413 over the body limit, 400 for bad
 * JSON or field types, 404 for unknown routes and disabled features.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import { ConfigError, TargetError } from "../core/errors.js";
import { LocalEngine } from "../local/engine.js";
import { chatCompletions } from "./chat.js";
import { completions } from "./completions.js";
import type { ServeContext, ServeFeatures } from "./context.js";
import { HttpError, openAiErrorBody, readJsonBody, sendJson, tgiErrorBody } from "./http.js";
import { tgiGenerate, tgiInfo } from "./tgi.js";
import { tokenize } from "./tokenize.js";

/** Options for {@link startServer}. */
export interface ServeOptions {
  readonly modelPath: string;
  /** Interface to bind (default `127.0.0.1`: loopback only). */
  readonly host?: string;
  /** Port (default 0: an ephemeral port, reported in the result). */
  readonly port?: number;
  /** When set, every request needs `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** Name served in `/v1/models` and expected in `model` (default: the file name without `.gguf`). */
  readonly modelName?: string;
  /** Largest request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Switch routes/abilities off to imitate servers that lack them (all on by default). */
  readonly features?: ServeFeatures;
  /** Tokens per sequence (default: the model's training context, at most 2048). */
  readonly contextSize?: number;
  /** Requests evaluated at once (default 4). */
  readonly sequences?: number;
  /** CPU threads (default 1, see `EngineOptions.threads`). */
  readonly threads?: number;
  /** Largest top-k of log-probs accepted (default 20, vLLM's `max_logprobs`). */
  readonly maxLogprobs?: number;
}

/** A running server. */
export interface RunningServer {
  /** Base URL such as `http://127.0.0.1:41234` (OpenAI clients add `/v1`). */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, drop open connections, and free the model. */
  close(): Promise<void>;
}

type Handler = (body: Record<string, unknown>, sc: ServeContext, signal: AbortSignal) => Promise<unknown>;
interface Route {
  readonly method: "GET" | "POST";
  readonly tgi: boolean;
  readonly enabled: (sc: ServeContext) => boolean;
  readonly run: Handler;
}

const ROUTES: Record<string, Route> = {
  "/v1/models": { method: "GET", tgi: false, enabled: () => true, run: async (_b, sc) => modelList(sc) },
  "/v1/completions": {
    method: "POST",
    tgi: false,
    enabled: (sc) => sc.features.completions,
    run: completions,
  },
  "/v1/chat/completions": {
    method: "POST",
    tgi: false,
    enabled: (sc) => sc.features.chat,
    run: chatCompletions,
  },
  "/generate": { method: "POST", tgi: true, enabled: (sc) => sc.features.tgi, run: tgiGenerate },
  "/info": { method: "GET", tgi: true, enabled: (sc) => sc.features.tgi, run: async (_b, sc) => tgiInfo(sc) },
  "/tokenize": { method: "POST", tgi: false, enabled: (sc) => sc.features.tokenize, run: tokenize },
  "/health": { method: "GET", tgi: false, enabled: () => true, run: async () => ({ status: "ok" }) },
};

function modelList(sc: ServeContext) {
  return {
    object: "list",
    data: [
      {
        id: sc.modelName,
        object: "model",
        created: 0,
        owned_by: "memscan",
        max_model_len: sc.engine.contextSize,
      },
    ],
  };
}

function authorized(req: IncomingMessage, key: string | undefined): boolean {
  if (key === undefined) return true;
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  const got = Buffer.from(m?.[1]?.trim() ?? "");
  const want = Buffer.from(key);
  return got.length === want.length && timingSafeEqual(got, want);
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof TargetError && err.kind === "bad_request") {
    return new HttpError(400, err.message, "prompt", "context_length_exceeded");
  }
  if (err instanceof TargetError && err.kind === "aborted")
    return new HttpError(499, err.message, null, "aborted");
  return new HttpError(
    500,
    `The local model failed: ${err instanceof Error ? err.message : String(err)}`,
    null,
    "server_error",
  );
}

async function handle(req: IncomingMessage, res: ServerResponse, sc: ServeContext, opts: ServeOptions) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
  const found = ROUTES[path];
  const route = found?.enabled(sc) ? found : undefined;
  const isTgi = route?.tgi === true;
  const fail = (err: HttpError) =>
    sendJson(res, err.status, isTgi ? tgiErrorBody(err) : openAiErrorBody(err));
  const ac = new AbortController();
  res.on("close", () => {
    if (!res.writableEnded) ac.abort();
  });
  try {
    if (!authorized(req, opts.apiKey)) {
      req.resume();
      throw new HttpError(
        401,
        "Incorrect API key provided. Expected `Authorization: Bearer <key>` matching the server's --api-key.",
        null,
        "invalid_api_key",
      );
    }
    if (route === undefined) {
      req.resume();
      throw new HttpError(
        404,
        `Unknown request URL: ${req.method} ${path}. Please check the URL for typos.`,
        null,
        "unknown_url",
      );
    }
    if (req.method !== route.method) {
      req.resume();
      throw new HttpError(
        405,
        `Expected ${route.method} ${path}, got ${req.method}.`,
        null,
        "method_not_allowed",
      );
    }
    const body = route.method === "POST" ? await readJsonBody(req, opts.maxBodyBytes ?? 1024 * 1024) : {};
    const out = await route.run(body, sc, ac.signal);
    sendJson(res, 200, out, path === "/v1/chat/completions" ? { "x-memscan-chat-rendering": "plain" } : {});
  } catch (err) {
    if (!res.headersSent && !res.destroyed) fail(toHttpError(err));
  }
}

/**
 * Start the server and resolve once it listens. Loopback only unless `host` says otherwise.
 * @example
 * const s = await startServer({ modelPath: "canaries/demo/overfit.gguf" });
 * // OpenAI clients: baseURL `${s.url}/v1`, model "overfit"
 * await s.close();
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const engine = await LocalEngine.open({
    modelPath: opts.modelPath,
    ...(opts.contextSize !== undefined && { contextSize: opts.contextSize }),
    ...(opts.sequences !== undefined && { sequences: opts.sequences }),
    ...(opts.threads !== undefined && { threads: opts.threads }),
  });
  const sc: ServeContext = {
    engine,
    modelName: opts.modelName ?? basename(engine.path).replace(/\.gguf$/i, ""),
    features: {
      promptLogprobs: true,
      chat: true,
      tgi: true,
      completions: true,
      tokenize: true,
      ...opts.features,
    },
    maxLogprobs: opts.maxLogprobs ?? 20,
  };
  const server = createServer((req, res) => {
    void handle(req, res, sc, opts);
  });
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await engine.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new ConfigError(
        `Expected to listen on ${host}:${opts.port ?? 0}, got ${code}; choose another --port (0 picks a free one) or --host.`,
        { cause: err },
      );
    }
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await engine.close();
      })();
      return closing;
    },
  };
}
