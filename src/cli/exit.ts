import { ConfigError, TargetError } from "../core/errors.js";
import { EXIT } from "../report/finalize.js";

/** Set by a command handler; read by `main`. */
export const outcome = { code: 0 as number };

/** The only place errors become exit codes: 2 for usage/config (and auth/bad request at connect), 3 otherwise. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return EXIT.usage;
  if (
    err instanceof TargetError &&
    (err.kind === "auth" || err.kind === "bad_request" || err.kind === "quota")
  ) {
    return EXIT.usage;
  }
  return EXIT.runtime;
}
