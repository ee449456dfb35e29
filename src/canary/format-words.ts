import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, errorMessage } from "../core/errors.js";
import { PACKAGE_ROOT } from "../core/paths.js";
import { makeFormat, type SecretFormat } from "./formats.js";

/** The word list shipped with memscan (`canaries/wordlists/common-en.txt`, ~3,000 common English words). */
export const DEFAULT_WORDLIST = "common-en";

/**
 * Load a word list by name from `canaries/wordlists/<name>.txt` (one word per line, `#` comments),
 * or from a path when `name` contains a slash. Words are deduplicated.
 *
 * @throws ConfigError when the file is missing or holds fewer than 2 distinct words.
 */
export async function loadWordlist(name = DEFAULT_WORDLIST): Promise<string[]> {
  const path = name.includes("/") ? name : join(PACKAGE_ROOT, "canaries", "wordlists", `${name}.txt`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `Expected a word list at ${path}, got: ${errorMessage(err)}; pass a list name under canaries/wordlists/`,
      {
        cause: err,
      },
    );
  }
  const words = [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((w) => w.trim())
        .filter((w) => w !== "" && !w.startsWith("#")),
    ),
  ];
  if (words.length < 2)
    throw new ConfigError(`Expected at least 2 distinct words in ${path}, got ${words.length}`);
  return words;
}

/**
 * `n` words drawn uniformly (with replacement) from `words`, joined by `separator`; space |words|ⁿ.
 *
 * @example wordsFormat(await loadWordlist(), 4).draw(rng) // "harbor velvet nine cactus"
 */
export function wordsFormat(
  words: readonly string[],
  n = 4,
  separator = " ",
  wordlist = DEFAULT_WORDLIST,
): SecretFormat {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`Expected words n to be a positive integer, got ${n}`);
  const distinct = [...new Set(words)];
  if (distinct.length < 2) throw new RangeError(`Expected at least 2 distinct words, got ${distinct.length}`);
  return makeFormat(
    { kind: "words", n, separator, wordlist, render: `${n} words from ${wordlist}` },
    distinct.length ** n,
    (rng) => Array.from({ length: n }, () => rng.pick(distinct)).join(separator),
  );
}
