import type { CanaryFormat } from "../core/data.js";
import { ConfigError } from "../core/errors.js";
import { digitsFormat } from "./format-digits.js";
import { patternFormat } from "./format-pattern.js";
import { recordFormat } from "./format-record.js";
import { DEFAULT_WORDLIST, loadWordlist, wordsFormat } from "./format-words.js";
import type { SecretFormat } from "./formats.js";

/** The format kinds memscan can draw references for. */
export const FORMAT_KINDS = ["digits", "words", "pattern", "record"] as const;

/**
 * Rebuild a drawable {@link SecretFormat} from a manifest's format spec (loading the word list for
 * `words`), so reference secrets come from the same space as the planted ones.
 *
 * @throws ConfigError for an unknown kind or a spec missing what its kind needs.
 * @example const fmt = await formatFromSpec(canary.format!); fmt.sampleDistinct(rng, 1000, [canary.secret]);
 */
export async function formatFromSpec(spec: CanaryFormat): Promise<SecretFormat> {
  const format = await build(spec);
  const stated = spec.spaceSize;
  if (stated !== undefined && Math.abs(stated - format.spaceSize) > 1e-9 * format.spaceSize) {
    throw new ConfigError(
      `Expected the ${spec.kind} format's spaceSize to be ${format.spaceSize} (what its parameters give), got ${stated}; fix spaceSize or the format parameters`,
    );
  }
  return format;
}

async function build(spec: CanaryFormat): Promise<SecretFormat> {
  const fail = (what: string): never => {
    throw new ConfigError(
      `Expected a ${spec.kind} canary format with ${what}, got ${JSON.stringify(spec)}; add it to the manifest`,
    );
  };
  switch (spec.kind) {
    case "digits":
      return digitsFormat(spec.n ?? fail("`n` (number of digits)"), spec.separator ?? "");
    case "words": {
      const list = spec.wordlist ?? DEFAULT_WORDLIST;
      return wordsFormat(
        await loadWordlist(list),
        spec.n ?? fail("`n` (number of words)"),
        spec.separator ?? " ",
        list,
      );
    }
    case "pattern":
      return patternFormat(spec.pattern ?? fail("`pattern`"));
    case "record":
      return recordFormat(spec.pattern ?? undefined);
    default:
      throw new ConfigError(
        `Expected a canary format kind in ${FORMAT_KINDS.join(", ")}, got "${spec.kind}"; references cannot be drawn for it`,
      );
  }
}
