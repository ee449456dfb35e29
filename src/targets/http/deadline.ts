/**
 * One deadline per call: a timeout and the caller's AbortSignal folded into one signal, remembering
 * which of the two fired so the error can be classified (`timeout` vs `aborted`). The timer covers the
 * whole call, body included (the SDK's own timeout stops at the response headers).
 */
export interface Deadline {
  /** Pass this to fetch / the SDK. */
  readonly signal: AbortSignal;
  /** True once the timeout fired. */
  readonly timedOut: boolean;
  /** True once the caller's signal fired. */
  readonly aborted: boolean;
  /** Clear the timer; call in `finally`. */
  done(): void;
}

/**
 * Start a deadline of `timeoutMs` milliseconds, also tripped by `signal`.
 *
 * @example
 * const d = startDeadline(30_000, opts.signal);
 * try { await fetch(url, { signal: d.signal }); } finally { d.done(); }
 */
export function startDeadline(timeoutMs: number, signal?: AbortSignal): Deadline {
  const ctl = new AbortController();
  let timedOut = false;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    ctl.abort(signal?.reason);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: ctl.signal,
    get timedOut() {
      return timedOut;
    },
    get aborted() {
      return aborted;
    },
    done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
