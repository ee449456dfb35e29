/**
 * Helpers for capability probing at connect time: run a cheap call, turn a rejection into a
 * short note ("completions echo+logprobs rejected: bad_request 400 ..."), and let only the errors
 * that make the whole target unusable (auth, quota, connection, aborted) escape.
 */
import { errorMessage, TargetError, type TargetErrorKind } from "../../core/errors.js";

/** Result of one probe call. */
export type ProbeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly note: string };

/** Kinds that abort connecting instead of marking one capability absent. */
export const FATAL_AT_CONNECT: readonly TargetErrorKind[] = ["auth", "quota", "connection", "aborted"];

/** The "got ..." part of a TargetError message, shortened for a note. */
export function shortReason(err: unknown): string {
  if (err instanceof TargetError) {
    const got = /, got (.*?); /s.exec(err.message)?.[1] ?? err.message;
    return `${err.kind}${got.startsWith("HTTP") ? "" : ":"} ${got}`.replace(/\s+/g, " ").slice(0, 160);
  }
  return errorMessage(err).slice(0, 160);
}

/**
 * Run `fn`; on failure return `{ok: false, note: "<label> rejected: <reason>"}`.
 * Errors whose kind is in `fatal` (default {@link FATAL_AT_CONNECT}) are rethrown.
 *
 * @example
 * const r = await tryProbe("chat", () => chatCall(conn, [{ role: "user", content: "Hi" }], p));
 * if (!r.ok) notes.chat = r.note;
 */
export async function tryProbe<T>(
  label: string,
  fn: () => Promise<T>,
  fatal: readonly TargetErrorKind[] = FATAL_AT_CONNECT,
): Promise<ProbeResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof TargetError && fatal.includes(err.kind)) throw err;
    return { ok: false, note: `${label} rejected: ${shortReason(err)}` };
  }
}

/** Largest number of alternatives seen at any position (0 when none). */
export function observedTop(tokens: readonly { top?: readonly unknown[] }[] | undefined): number {
  return Math.max(0, ...(tokens ?? []).map((t) => t.top?.length ?? 0));
}
