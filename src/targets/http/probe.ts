/**
 * Helpers for capability probing at connect time: run a cheap call, turn a rejection into a
 * short note ("completions echo+logprobs rejected: bad_request 400 ..."), and let only the errors
 * that make the whole target unusable (auth, quota, connection, aborted) escape.
 */
import { errorMessage, TargetError, type TargetErrorKind } from "../../core/errors.js";
import type { TokenLogprob } from "../../core/types.js";

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

/** Outcome of {@link probeTopK}: whether token logprobs came back, and the usable top-k. */
export interface TopKProbe {
  readonly ok: boolean;
  readonly k: number;
  readonly note: string;
}

/**
 * Ask for generated-token logprobs with 20 alternatives, then 5 if 20 is rejected. `k` is the
 * number of alternatives actually returned (capped by the accepted request), 0 when none.
 */
export async function probeTopK(
  label: string,
  run: (k: number) => Promise<{ readonly tokens?: readonly TokenLogprob[] }>,
): Promise<TopKProbe> {
  const notes: string[] = [];
  for (const k of [20, 5]) {
    const r = await tryProbe(`${label} top_logprobs=${k}`, () => run(k));
    if (!r.ok) {
      notes.push(r.note);
      continue;
    }
    const toks = r.value.tokens ?? [];
    if (!toks.some((t) => t.logprob !== null))
      return { ok: false, k: 0, note: `${label}: no token logprobs returned` };
    const seen = observedTop(toks);
    return {
      ok: true,
      k: Math.min(k, seen),
      note: `${label}: top_logprobs=${k} accepted, ${seen} alternatives returned`,
    };
  }
  return { ok: false, k: 0, note: notes.join("; ") };
}
