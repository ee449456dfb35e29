/**
 * One error base class with a subclass per actionable condition. Messages say what was expected,
 * what was found, and what to do. Exit codes are decided only in `cli/main.ts`.
 */
export class MemscanError extends Error {
  override readonly name: string = "MemscanError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad user input: flags, config files, data files. Exit code 2. */
export class ConfigError extends MemscanError {
  override readonly name = "ConfigError";
}

/** A test needs something the target was found not to support. */
export class CapabilityError extends MemscanError {
  override readonly name = "CapabilityError";
}

export const TARGET_ERROR_KINDS = [
  "auth",
  "rate_limit",
  "quota",
  "bad_request",
  "timeout",
  "connection",
  "server",
  "malformed",
  "aborted",
] as const;
export type TargetErrorKind = (typeof TARGET_ERROR_KINDS)[number];

/** A failed call to a target, classified so the scheduler knows whether to retry, wait, or stop. */
export class TargetError extends MemscanError {
  override readonly name = "TargetError";
  readonly kind: TargetErrorKind;
  readonly status: number | undefined;
  /** Server-requested wait (Retry-After / retry-after-ms), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: TargetErrorKind,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(message, options);
    this.kind = kind;
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** Worth another try after a wait. */
  get retryable(): boolean {
    return (
      this.kind === "rate_limit" ||
      this.kind === "timeout" ||
      this.kind === "connection" ||
      this.kind === "server" ||
      this.kind === "malformed"
    );
  }

  /** No further call to this target can succeed (bad key, exhausted quota). */
  get fatal(): boolean {
    return this.kind === "auth" || this.kind === "quota";
  }
}

/** A scan that hit its request or token budget. */
export class BudgetError extends MemscanError {
  override readonly name = "BudgetError";
}

/** Classify an HTTP status the way every HTTP target does. */
export function kindForStatus(status: number, body = ""): TargetErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return /quota|billing|insufficient/i.test(body) ? "quota" : "rate_limit";
  if (status === 408) return "timeout";
  if (status >= 500) return "server";
  return "bad_request";
}

/** Parse `retry-after-ms` / `retry-after` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(
  headers: { get(name: string): string | null },
  now = Date.now(),
): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
