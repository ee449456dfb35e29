import { existsSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { digitsFormat } from "../../canary/format-digits.js";
import { patternFormat } from "../../canary/format-pattern.js";
import { recordFormat } from "../../canary/format-record.js";
import { DEFAULT_WORDLIST, loadWordlist, wordsFormat } from "../../canary/format-words.js";
import type { SecretFormat } from "../../canary/formats.js";
import { generateCanaries } from "../../canary/generate.js";
import { toManifestRecord, writeManifest } from "../../canary/manifest.js";
import { ConfigError, errorMessage } from "../../core/errors.js";

interface GenerateArgs {
  out: string;
  count: number;
  "secret-format": string[];
  "insert-counts": string;
  controls: number;
  seed: number;
  "id-prefix": string;
  "prefix-template"?: string[];
  force?: boolean;
  json?: boolean;
}

const FORMAT_HELP =
  "digits[:N[:SEP]] (default digits:9, space-separated like the lab), words[:N[:LIST]], pattern:PAT (# digit, A upper, a lower, \\x literal), record[:TEMPLATE] ({name} {email} {phone} {ssn})";

/** Parse one `--secret-format` value into a drawable format. @throws ConfigError */
export async function parseSecretFormat(spec: string): Promise<SecretFormat> {
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? undefined : spec.slice(colon + 1);
  const fail = (why: string): never => {
    throw new ConfigError(`Expected --secret-format ${FORMAT_HELP}, got "${spec}" (${why})`);
  };
  const count = (s: string | undefined, dflt: number): number => {
    if (s === undefined || s === "") return dflt;
    const n = Number(s);
    return Number.isInteger(n) && n >= 1 ? n : fail(`"${s}" is not a positive integer`);
  };
  try {
    switch (kind) {
      case "digits": {
        const [n, ...sep] = rest?.split(":") ?? [];
        return digitsFormat(count(n, 9), sep.length ? sep.join(":") : " ");
      }
      case "words": {
        const [n, list] = rest?.split(":") ?? [];
        const name = list || DEFAULT_WORDLIST;
        return wordsFormat(await loadWordlist(name), count(n, 4), " ", name);
      }
      case "pattern":
        return rest ? patternFormat(rest) : fail("a pattern is required");
      case "record":
        return recordFormat(rest || undefined);
      default:
        return fail(`unknown kind "${kind}"`);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Invalid --secret-format "${spec}": ${errorMessage(err)}`, { cause: err });
  }
}

function insertCounts(text: string): number[] {
  const counts = text.split(",").map((s) => Number(s.trim()));
  if (counts.length === 0 || !counts.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ConfigError(`Expected --insert-counts to be positive integers like 1,2,4,8,16, got "${text}"`);
  }
  return counts;
}

export const canaryGenerateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate seeded canaries (prefix + random secret) and write a manifest",
  builder: (y: Argv) =>
    y
      .option("out", { type: "string", demandOption: true, describe: "Manifest to write (memscan JSONL)" })
      .option("count", { type: "number", default: 10, describe: "Canaries to plant (controls come on top)" })
      .option("secret-format", {
        type: "string",
        array: true,
        default: ["digits:9"],
        describe: `Secret formats, used in turn: ${FORMAT_HELP}`,
      })
      .option("insert-counts", {
        type: "string",
        default: "1,2,4,8,16",
        describe: "Copies to plant, assigned to the canaries in turn",
      })
      .option("controls", {
        type: "number",
        default: 2,
        describe: "Extra canaries that are never planted (insertCount 0): what an unplanted secret scores",
      })
      .option("seed", { type: "number", default: 1, describe: "Seed: the same seed gives the same manifest" })
      .option("id-prefix", { type: "string", default: "canary", describe: "Ids are <prefix>-00, -01, ..." })
      .option("prefix-template", {
        type: "string",
        array: true,
        describe: "Prefix templates used in turn; {name} = a fake name, {ticket} = LP-######",
      })
      .option("force", { type: "boolean", describe: "Overwrite an existing manifest" })
      .option("json", { type: "boolean", describe: "Print the manifest records as JSON" })
      .example(
        "$0 canary generate --out canaries.jsonl",
        "10 nine-digit canaries (1,2,4,8,16 copies) + 2 controls",
      )
      .example(
        "$0 canary generate --out c.jsonl --count 8 --secret-format 'pattern:\\ACCT-####-####' --secret-format record",
        "Account numbers and PII-like records, alternating",
      ) as Argv<GenerateArgs>,
  handler: async (args) => {
    if (!args.force && existsSync(args.out)) {
      throw new ConfigError(
        `Expected --out to be a new file, got existing ${args.out}; pass --force to replace it`,
      );
    }
    for (const [name, v] of [
      ["count", args.count],
      ["controls", args.controls],
      ["seed", args.seed],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new ConfigError(`Expected --${name} to be an integer ≥ 0, got ${v}`);
    }
    const formats = await Promise.all(args["secret-format"].map(parseSecretFormat));
    let canaries: ReturnType<typeof generateCanaries>;
    try {
      canaries = generateCanaries({
        count: args.count,
        formats,
        insertCounts: insertCounts(args["insert-counts"]),
        controls: args.controls,
        seed: args.seed,
        idPrefix: args["id-prefix"],
        ...(args["prefix-template"]?.length ? { prefixTemplates: args["prefix-template"] } : {}),
      });
    } catch (err) {
      throw new ConfigError(`Cannot generate canaries: ${errorMessage(err)}`, { cause: err });
    }
    await writeManifest(args.out, canaries);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(canaries.map(toManifestRecord), null, 2)}\n`);
      return;
    }
    const planted = canaries.filter((c) => !c.control);
    const copies = planted.reduce((s, c) => s + c.insertCount, 0);
    process.stdout.write(
      `wrote ${canaries.length} canaries to ${args.out}: ${planted.length} to plant (${copies} copies; counts ${planted.map((c) => c.insertCount).join(",")}), ${canaries.length - planted.length} controls never planted\n` +
        `next: memscan canary plant --dataset <train.jsonl> --manifest ${args.out} --out <train.planted.jsonl>\n`,
    );
  },
};
