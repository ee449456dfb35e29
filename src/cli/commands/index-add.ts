import type { Argv, CommandModule } from "yargs";
import { addToIndex } from "../../corpus/build.js";
import { buildOptions, describeBuild, sourceOptions } from "./index-build.js";

interface AddArgs {
  index: string;
  paths: string[];
  field?: string;
  "id-field"?: string;
  workers: number;
}

export const indexAddCommand: CommandModule<object, AddArgs> = {
  command: "add <index> <paths..>",
  describe: "Add files or folders to an index (same parameters; files already indexed are skipped)",
  builder: (y: Argv) =>
    sourceOptions(
      y.positional("index", { type: "string", demandOption: true, describe: "Index folder" }),
    ).example(
      "$0 index add train.idx data/new.jsonl --field text",
      "Index a new file into an existing index",
    ) as Argv<AddArgs>,
  handler: async (args) => {
    const summary = await addToIndex(
      args.index,
      args.paths,
      buildOptions(args, process.stderr.isTTY === true),
    );
    if (process.stderr.isTTY) process.stderr.write("\n");
    process.stdout.write(`index ${args.index}: ${describeBuild(summary)}`);
  },
};
