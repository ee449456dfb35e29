import type { Argv, CommandModule } from "yargs";
import { readManifest } from "../../corpus/manifest.js";

interface InfoArgs {
  index: string;
  json: boolean;
}

export const indexInfoCommand: CommandModule<object, InfoArgs> = {
  command: "info <index>",
  describe: "Show what an index holds: sources, shards, normalisation and parameters",
  builder: (y: Argv) =>
    y.positional("index", { type: "string", demandOption: true, describe: "Index folder" }).option("json", {
      type: "boolean",
      default: false,
      describe: "Print the manifest as JSON",
    }) as Argv<InfoArgs>,
  handler: async (args) => {
    const m = await readManifest(args.index);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
      return;
    }
    const sum = (f: (s: (typeof m.shards)[number]) => number) => m.shards.reduce((n, s) => n + f(s), 0);
    const p = m.params;
    const lines = [
      `index ${args.index} (memscan ${m.memscanVersion}, created ${m.createdAt}, updated ${m.updatedAt})`,
      `normalisation: ${m.normalization.form} (${m.normalization.steps.join(", ")})`,
      `k-grams: k=${p.k}, one in every w=${p.w} of each document (${p.sampling} sampling, ${p.hash}); every common span of >= ${p.guarantee} chars is found; default min length ${p.minLength}`,
      `documents: ${sum((s) => s.docs)} in ${m.shards.length} shard(s); ${sum((s) => s.units)} normalised chars; ${sum((s) => s.postings)} fingerprints; ${(sum((s) => s.bytes) / 1e6).toFixed(1)} MB on disk`,
      `memory to hold it whole (scan --index): ${(sum((s) => 2 * s.units + 8 * s.postings) / 1e6).toFixed(1)} MB`,
      `sources (${m.sources.length}):`,
      ...m.sources
        .slice(0, 20)
        .map((s) => `  ${s.path}  ${s.bytes} bytes  ${s.docs} docs  sha256:${s.sha256.slice(0, 16)}`),
      ...(m.sources.length > 20 ? [`  ... and ${m.sources.length - 20} more (--json lists all)`] : []),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
