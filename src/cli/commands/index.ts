import type { Argv, CommandModule } from "yargs";
import { indexAddCommand } from "./index-add.js";
import { indexBuildCommand } from "./index-build.js";
import { indexInfoCommand } from "./index-info.js";
import { indexQueryCommand } from "./index-query.js";

/** `memscan index build|add|query|info`: the on-disk reference-corpus index. */
export const indexCommand: CommandModule = {
  command: "index <command>",
  describe: "Build and query an on-disk index of reference documents (verbatim and near-verbatim spans)",
  builder: (y: Argv) =>
    y
      .command(indexBuildCommand)
      .command(indexAddCommand)
      .command(indexQueryCommand)
      .command(indexInfoCommand)
      .demandCommand(1, "Give an index command: build, add, query or info."),
  handler: () => undefined,
};
