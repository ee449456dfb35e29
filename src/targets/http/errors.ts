/**
 * Map whatever an HTTP call threw (openai SDK errors, @huggingface/inference errors, fetch/undici
 * errors, JSON syntax errors) into one classified `TargetError`, keeping `cause`, `status` and
 * `retryAfterMs`. Secrets (API keys, tokens) are scrubbed from messages and from the kept cause.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import {
  errorMessage,
  kindForStatus,
  parseRetryAfter,
  TargetError,
  type TargetErrorKind,
} from "../../core/errors.js";

/** What was being attempted when the error happened. */
export interface ErrorContext {
  /** Full URL or base URL (never with a key in it). */
  readonly url: string;
  /** Short operation name, e.g. `completions`, `chat`, `tgi generate`. */
  readonly op: string;
  /** Our deadline fired. */
  readonly timedOut?: boolean;
  /** The caller's AbortSignal fired. */
  readonly aborted?: boolean;
  /** Strings to scrub from messages (API key, token). */
  readonly secrets?: readonly (string | undefined)[];
  /** Response headers, when the library that threw does not keep them (@huggingface/inference). */
  readonly headers?: { get(name: string): string | null };
}

const ADVICE: Record<TargetErrorKind, string> = {
  auth: "check the API key (spec `apiKey`/`token`, or OPENAI_API_KEY / HF_TOKEN) and that it may use this model",
  rate_limit: "wait (honour Retry-After) and retry, or lower concurrency / requests per minute",
  quota: "the account's quota or billing is exhausted; add credit or use another key",
  bad_request: "the endpoint rejected the request; check the model name and the parameters it supports",
  timeout: "raise `timeoutMs` or check that the server is not overloaded",
  connection: "check that the server is running and that the base URL (host, port, `/v1`) is right",
  server: "the server failed; retry later",
  malformed:
    "the server did not answer in the expected wire format; check that the URL points at the right API",
  aborted: "the call was cancelled by the caller",
};

/** Replace every secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}

/** Build a `TargetError` whose message says what was expected, what happened, and what to do. */
export function targetError(
  kind: TargetErrorKind,
  ctx: ErrorContext,
  found: string,
  extra: { cause?: unknown; status?: number; retryAfterMs?: number } = {},
): TargetError {
  const msg = `Expected a valid response from ${ctx.op} at ${ctx.url}, got ${found}; ${ADVICE[kind]}.`;
  return new TargetError(kind, scrub(msg, ctx.secrets), extra);
}

function causeCode(err: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = err;
  const parts: string[] = [];
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") parts.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join("/");
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

interface HfHttpError {
  httpRequest?: { headers?: Record<string, string> };
  httpResponse?: { status?: number; body?: unknown };
}

/**
 * The human part of an error body: `(code) message` from OpenAI's `{message, type, code}` (or
 * `{error: {...}}`) and TGI's `{error, error_type}`; other bodies as they are.
 */
function errorExcerpt(body: unknown, fallback: string): string {
  const obj = (v: unknown) =>
    v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  const b = obj(body);
  const inner = obj(b?.error) ?? b;
  const message = typeof b?.error === "string" ? b.error : inner?.message;
  if (typeof message !== "string") return fallback;
  const code = [inner?.code, b?.error_type, inner?.type].find((c) => typeof c === "string" && c !== "");
  return `${code ? `(${String(code)}) ` : ""}${message}`;
}

function fromStatus(
  ctx: ErrorContext,
  status: number,
  body: string,
  cause: unknown,
  retryAfterMs?: number,
  shown = body,
) {
  const kind = kindForStatus(status, body);
  const excerpt = scrub(shown, ctx.secrets).slice(0, 300);
  return targetError(kind, ctx, `HTTP ${status}${excerpt ? ` ${excerpt}` : ""}`, {
    cause,
    status,
    retryAfterMs,
  });
}

/** The error for a non-2xx response read by hand (status, raw body text, headers). */
export function responseError(
  ctx: ErrorContext,
  status: number,
  text: string,
  headers: { get(name: string): string | null },
): TargetError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return fromStatus(ctx, status, text, undefined, parseRetryAfter(headers), errorExcerpt(parsed, text));
}

/**
 * Classify `err` thrown while doing `ctx.op`. Already-classified `TargetError`s pass through.
 *
 * @example
 * try { await client.completions.create(req); } catch (e) { throw toTargetError(e, { url, op: "completions" }); }
 */
export function toTargetError(err: unknown, ctx: ErrorContext): TargetError {
  if (err instanceof TargetError) return err;
  if (ctx.timedOut) return targetError("timeout", ctx, "no complete response in time", { cause: err });
  if (ctx.aborted || err instanceof APIUserAbortError)
    return targetError("aborted", ctx, "an abort", { cause: err });
  if (err instanceof APIConnectionTimeoutError)
    return targetError("timeout", ctx, "a timeout", { cause: err });
  if (err instanceof APIConnectionError) {
    const code = causeCode(err);
    return targetError("connection", ctx, `a connection failure${code ? ` (${code})` : ""}`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const body = `${bodyText(err.error)} ${err.code ?? ""} ${err.type ?? ""}`.trim();
    const retryAfterMs = err.headers ? parseRetryAfter(err.headers) : undefined;
    const shown = errorExcerpt(err.error, body || err.message);
    return fromStatus(ctx, err.status, body || err.message, err, retryAfterMs, shown);
  }
  const hf = err as HfHttpError;
  if (err instanceof Error && typeof hf.httpResponse?.status === "number") {
    if (hf.httpRequest?.headers) hf.httpRequest.headers = { redacted: "[request headers removed]" };
    const retryAfterMs = ctx.headers ? parseRetryAfter(ctx.headers) : undefined;
    const body = bodyText(hf.httpResponse.body) || err.message;
    const shown = errorExcerpt(hf.httpResponse.body, body);
    return fromStatus(ctx, hf.httpResponse.status, body, err, retryAfterMs, shown);
  }
  if (err instanceof SyntaxError)
    return targetError("malformed", ctx, `unparseable JSON (${err.message})`, { cause: err });
  if (err instanceof Error && err.name === "InferenceClientProviderOutputError") {
    return targetError("malformed", ctx, err.message, { cause: err });
  }
  if (err instanceof Error && (err.name === "TimeoutError" || /timed? ?out/i.test(err.message))) {
    return targetError("timeout", ctx, errorMessage(err), { cause: err });
  }
  if (err instanceof Error && err.name === "AbortError")
    return targetError("aborted", ctx, "an abort", { cause: err });
  const code = causeCode(err);
  if (code || (err instanceof TypeError && /fetch failed/i.test(err.message))) {
    return targetError("connection", ctx, `a connection failure (${code || errorMessage(err)})`, {
      cause: err,
    });
  }
  return targetError("malformed", ctx, `an unexpected error: ${errorMessage(err)}`, { cause: err });
}
