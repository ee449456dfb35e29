import type { IncomingMessage, ServerResponse } from "node:http";

/** An error answered to the client: HTTP status plus an OpenAI-style (or TGI-style) body. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
  }
}

/** OpenAI's error body: `{error: {message, type, param, code}}`. */
export function openAiErrorBody(err: HttpError) {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** TGI's error body: `{error, error_type}` (TGI answers validation failures with 422). */
export function tgiErrorBody(err: HttpError) {
  return { error: err.message, error_type: err.code ?? err.type };
}

/** Write `body` as JSON with `status`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Read and parse a JSON object body of at most `maxBytes` bytes.
 * Too large → 413; not JSON or not an object → 400 (OpenAI-style messages).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new HttpError(
      400,
      `Expected the request body to be JSON, got ${text.length === 0 ? "an empty body" : "invalid JSON"} (${(err as Error).message}).`,
      null,
      "invalid_json",
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new HttpError(
      400,
      `Expected the request body to be a JSON object, got ${describe(data)}.`,
      null,
      "invalid_json",
    );
  }
  return data as Record<string, unknown>;
}

function tooLarge(size: number, max: number): HttpError {
  return new HttpError(
    413,
    `Expected a request body of at most ${max} bytes, got ${size} or more; send a shorter prompt.`,
    null,
    "request_too_large",
  );
}

/** Short description of a JSON value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
