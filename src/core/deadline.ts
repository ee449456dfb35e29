import { errorMessage, TargetError } from "./errors.js";

/**
 * Run `call` with its own AbortSignal that fires after `timeoutMs` or when `parent` aborts, whichever
 * comes first. The result is raced against that signal, so a call that ignores its signal still cannot
 * hang the caller.
 *
 * Throws `TargetError("timeout")` when the deadline fired, `TargetError("aborted")` when the parent
 * did (whatever the call itself threw then), and otherwise whatever `call` threw.
 *
 * @example
 * const text = await withDeadline((signal) => fetch(url, { signal }).then((r) => r.text()), { timeoutMs: 30_000 });
 */
export async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  opts: { timeoutMs: number; parent?: AbortSignal | undefined },
): Promise<T> {
  const { timeoutMs, parent } = opts;
  if (parent?.aborted) throw abortedError(parent.reason);
  const controller = new AbortController();
  let rejectRace: (err: unknown) => void = () => {};
  const race = new Promise<never>((_, reject) => {
    rejectRace = reject;
  });
  const onTimeout = (): void => {
    const err = new TargetError(
      "timeout",
      `Expected the call to finish within ${timeoutMs} ms, but it did not; raise timeoutMs or check the target`,
    );
    controller.abort(err);
    rejectRace(err);
  };
  const onParent = (): void => {
    const err = abortedError(parent?.reason);
    controller.abort(err);
    rejectRace(err);
  };
  const timer = setTimeout(onTimeout, timeoutMs);
  parent?.addEventListener("abort", onParent, { once: true });
  try {
    const pending = call(controller.signal);
    pending.catch(() => {}); // the race may win; never leave the call's rejection unhandled
    return await Promise.race([pending, race]);
  } catch (err) {
    // Whatever the call threw after its signal fired (AbortError, a wrapped abort) is the deadline's doing.
    if (controller.signal.aborted && controller.signal.reason instanceof TargetError) {
      throw controller.signal.reason;
    }
    throw err;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParent);
  }
}

function abortedError(reason: unknown): TargetError {
  const why = reason === undefined ? "" : ` (${errorMessage(reason)})`;
  return new TargetError(
    "aborted",
    `Expected the run to continue, but it was aborted by its caller${why}; nothing more is sent`,
    { cause: reason },
  );
}

/** Largest delay a Node timer accepts (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Check a deadline: a positive number of ms a timer can hold. Throws a RangeError otherwise. */
export function validateTimeout(timeoutMs: number): number {
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw new RangeError(`Expected timeoutMs to be in (0, ${MAX_TIMER_MS}] ms, got ${timeoutMs}`);
  }
  return timeoutMs;
}

/** Wait `ms` on a timer, resolving early (never rejecting) when `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    signal?.addEventListener("abort", done, { once: true });
  });
}
