import { expect } from "vitest";
import { ConfigError } from "../../src/core/errors.js";

/** Run `f`, expect it to throw a ConfigError, and return that error (fails the test when nothing is thrown). */
export function caughtConfigError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

/** The message of the ConfigError `f` throws. */
export function configErrorMessage(f: () => unknown): string {
  return caughtConfigError(f).message;
}
