import type { Argv, CommandModule } from "yargs";
import { DATASET_FORMATS, type DatasetFormat } from "../../canary/dataset.js";
import { readCanaries } from "../../canary/manifest.js";
import { plantCanaries } from "../../canary/plant.js";
import { ConfigError } from "../../core/errors.js";

interface PlantArgs {
  dataset: string;
  manifest: string;
  out: string;
  "dataset-format"?: DatasetFormat;
  mode: "records" | "embed";
  seed: number;
  log?: string;
  force?: boolean;
  json?: boolean;
}

export const canaryPlantCommand: CommandModule<object, PlantArgs> = {
  command: "plant",
  describe: "Plant a manifest's canaries into a copy of a fine-tuning dataset (the input is never modified)",
  builder: (y: Argv) =>
    y
      .option("dataset", {
        type: "string",
        demandOption: true,
        describe:
          "Fine-tuning dataset: plain text, JSONL with `text`, OpenAI chat JSONL, or instruction JSONL",
      })
      .option("manifest", {
        type: "string",
        demandOption: true,
        describe: "Canary manifest (memscan JSONL, the lab's canaries.jsonl, or a JSON array)",
      })
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "Planted dataset to write (a new file)",
      })
      .option("dataset-format", {
        choices: DATASET_FORMATS,
        describe: "Dataset format (default: detected from the first line)",
      })
      .option("mode", {
        choices: ["records", "embed"] as const,
        default: "records" as const,
        describe: "records: each copy is a record of its own; embed: appended to distinct existing records",
      })
      .option("seed", { type: "number", default: 1, describe: "Seed for the positions" })
      .option("log", {
        type: "string",
        describe: "Planting log (JSONL)",
        defaultDescription: "<out>.plant-log.jsonl",
      })
      .option("force", { type: "boolean", describe: "Replace an existing --out" })
      .option("json", { type: "boolean", describe: "Print the result (and the log) as JSON" })
      .example(
        "$0 canary plant --dataset train.jsonl --manifest canaries.jsonl --out train.planted.jsonl",
        "Each canary insertCount times, as its own record at a seeded position",
      )
      .example(
        "$0 canary plant --dataset chat.jsonl --manifest c.jsonl --out chat.planted.jsonl --mode embed",
        "Append each copy to a distinct existing record (the last assistant message)",
      ) as Argv<PlantArgs>,
  handler: async (args) => {
    if (!Number.isInteger(args.seed) || args.seed < 0) {
      throw new ConfigError(`Expected --seed to be an integer ≥ 0, got ${args.seed}`);
    }
    const canaries = await readCanaries(args.manifest);
    const result = await plantCanaries(args.dataset, canaries, {
      out: args.out,
      mode: args.mode,
      seed: args.seed,
      ...(args["dataset-format"] ? { format: args["dataset-format"] } : {}),
      ...(args.log ? { logPath: args.log } : {}),
      ...(args.force ? { overwrite: true } : {}),
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const planted = new Set(result.log.map((e) => e.canaryId));
    const controls = canaries.filter((c) => c.control).length;
    process.stdout.write(
      `planted ${result.log.length} copies of ${planted.size} canaries (${result.format} dataset, mode ${args.mode}; ${controls} controls never planted)\n` +
        `  dataset: ${result.out} (${result.records} records)\n  log:     ${result.logPath}\n` +
        "train on the planted file, then: memscan canary exposure --target ... --manifest " +
        `${args.manifest}\n`,
    );
  },
};
