import { readFile } from "node:fs/promises";
import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../core/errors.js";
import { sha256 } from "../../core/hash.js";
import { CorpusIndex } from "../../corpus/query.js";
import type { CorpusMatch } from "../../match/corpus-naive.js";
import { mask } from "../../report/redact.js";
import { outcome } from "../exit.js";

interface QueryArgs {
  index: string;
  texts?: string[];
  jsonl: boolean;
  field: string;
  json: boolean;
  reveal: boolean;
  "min-length"?: number;
  "min-tokens"?: number;
  "max-distance": number;
  workers: number;
  "stdin-file"?: string;
  "max-postings": number;
  "max-span-seeds": number;
}

async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of process.stdin) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Outputs from arguments, or stdin (whole, or one JSON object or string per line with --jsonl). */
function parseOutputs(raw: string, jsonl: boolean, field: string): string[] {
  if (!jsonl) return [raw];
  return raw
    .split(/\r?\n/)
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim() !== "")
    .map(([l, n]) => {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        throw new ConfigError(
          `Expected JSON on stdin line ${n}, got ${JSON.stringify(l.slice(0, 40))}; one object per line.`,
        );
      }
      const text = typeof v === "string" ? v : (v as Record<string, unknown> | null)?.[field];
      if (typeof text !== "string") {
        throw new ConfigError(
          `Expected a string "${field}" field on stdin line ${n}; pass --field or send JSON strings.`,
        );
      }
      return text;
    });
}

function jsonMatch(output: string, m: CorpusMatch, reveal: boolean) {
  const text = output.slice(m.start, m.end);
  const digest = sha256(text);
  return { ...m, sha256: digest, excerpt: reveal ? text : mask(text, digest) };
}

export const indexQueryCommand: CommandModule<object, QueryArgs> = {
  command: "query <index> [texts..]",
  describe: "Find spans of texts (arguments or stdin) that occur verbatim or near-verbatim in the index",
  builder: (y: Argv) =>
    y
      .positional("index", { type: "string", demandOption: true, describe: "Index folder" })
      .positional("texts", { type: "string", array: true, describe: "Texts to check (default: read stdin)" })
      .option("jsonl", {
        type: "boolean",
        default: false,
        describe: "stdin holds one JSON object (or string) per line",
      })
      .option("field", { type: "string", default: "text", describe: "Text field of --jsonl objects" })
      .option("json", {
        type: "boolean",
        default: false,
        describe: "Print JSON (one object per text) instead of lines",
      })
      .option("reveal", {
        type: "boolean",
        default: false,
        describe: "Show the matched text (masked by default)",
      })
      .option("min-length", {
        type: "number",
        describe: "Shortest span in characters (default: the index's)",
      })
      .option("min-tokens", {
        type: "number",
        describe: "Judge spans by whitespace tokens instead of characters",
      })
      .option("max-distance", {
        type: "number",
        default: 0.1,
        describe: "Largest normalised edit distance of a near-verbatim span",
      })
      .option("workers", {
        type: "number",
        default: 2,
        describe: "Worker threads (shards are searched in parallel)",
      })
      .option("stdin-file", { type: "string", describe: "Read this file instead of stdin" })
      .option("max-postings", {
        type: "number",
        default: 128,
        describe:
          "Places checked per k-gram (the first in corpus order); 0 checks all, also those of common k-grams whose neighbouring text differs from the output's: exact on very repetitive text, slower",
      })
      .option("max-span-seeds", {
        type: "number",
        default: 8,
        describe:
          "Copies of one exact span extended per shard before later copies are only checked for reaching past it; 0 extends all (slower on boilerplate)",
      })
      .example('$0 index query train.idx "some model output"', "Check one text")
      .example(
        "$0 index query train.idx --jsonl --field output < outputs.jsonl --json",
        "Check many, JSON out",
      )
      .epilogue("Exit code 1 when any span is found, 0 when none.") as Argv<QueryArgs>,
  handler: async (args) => {
    // One batch: every shard is read once, so workers keep none between batches.
    const index = await CorpusIndex.open(args.index, { workers: args.workers, cacheBytes: 0 });
    const options = {
      maxDistance: args["max-distance"],
      maxPostings: args["max-postings"],
      maxSpanSeeds: args["max-span-seeds"],
      ...(args["min-length"] !== undefined ? { minLength: args["min-length"] } : {}),
      ...(args["min-tokens"] !== undefined ? { minTokens: args["min-tokens"] } : {}),
    };
    let outputs: string[];
    let results: CorpusMatch[][];
    try {
      // The workers start and read the index's tables while the outputs are read and parsed.
      index.warm(options);
      const raw = args.texts?.length
        ? undefined
        : args["stdin-file"] !== undefined
          ? await readFile(args["stdin-file"], "utf8")
          : await readStdin();
      outputs = raw === undefined ? (args.texts ?? []) : parseOutputs(raw, args.jsonl, args.field);
      results = await index.query(outputs, options);
    } catch (err) {
      await index.close();
      throw err;
    }
    // The workers stop (about 0.1 s) while the report is written.
    const closing = index.close();
    const lines: string[] = [];
    results.forEach((ms, i) => {
      const o = outputs[i]!;
      if (args.json) {
        lines.push(JSON.stringify({ index: i, matches: ms.map((m) => jsonMatch(o, m, args.reveal)) }));
        return;
      }
      const exact = ms.filter((m) => m.exact).length;
      lines.push(`text ${i + 1}: ${exact} verbatim, ${ms.length - exact} near-verbatim span(s)`);
      for (const m of ms) {
        const what = m.exact ? "verbatim" : `near d=${m.distance.toFixed(3)}`;
        const text = o.slice(m.start, m.end);
        lines.push(
          `  [${m.start}, ${m.end}) ${m.length} chars ${what}  doc ${m.docId} @${m.docOffset}  ${args.reveal ? JSON.stringify(text) : mask(text)}`,
        );
      }
    });
    process.stdout.write(`${lines.join("\n")}\n`);
    await closing;
    outcome.code = results.some((ms) => ms.length > 0) ? 1 : 0;
  },
};
