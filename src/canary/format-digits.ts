import { makeFormat, type SecretFormat } from "./formats.js";

/**
 * `n` uniform random digits joined by `separator`; space 10ⁿ.
 *
 * @example digitsFormat(9, " ").draw(rng) // "7 0 0 5 0 0 4 2 6" (the lab's format, 10⁹)
 */
export function digitsFormat(n = 9, separator = " "): SecretFormat {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`Expected digits n to be a positive integer, got ${n}`);
  const render =
    separator === " "
      ? "space-separated digits"
      : separator === ""
        ? "digits"
        : `digits separated by "${separator}"`;
  return makeFormat({ kind: "digits", n, separator, render }, 10 ** n, (rng) =>
    Array.from({ length: n }, () => String(rng.int(10))).join(separator),
  );
}
