import type { Argv, CommandModule } from "yargs";
import { miaMetricsCommand } from "./mia-metrics.js";
import { miaScoreCommand } from "./mia-score.js";

/**
 * Temporary parent of the offline `memscan mia score | metrics` (branch mia-offline); the online
 * `memscan mia` command replaces this file and keeps the two subcommands.
 */
export const miaCommand: CommandModule = {
  command: "mia <command>",
  describe: "Membership inference: offline attack scores and metrics",
  builder: (y: Argv) =>
    y
      .command(miaScoreCommand)
      .command(miaMetricsCommand)
      .demandCommand(1, "Give a mia command: score or metrics."),
  handler: () => {},
};
