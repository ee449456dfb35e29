import type { Argv, CommandModule } from "yargs";
import { canaryExposureCommand } from "./canary-exposure.js";
import { canaryGenerateCommand } from "./canary-generate.js";
import { canaryPlantCommand } from "./canary-plant.js";

/** `memscan canary generate | plant | exposure`: the Secret-Sharer workflow. */
export const canaryCommand: CommandModule = {
  command: "canary <command>",
  describe: "Canaries: generate secrets, plant them into fine-tuning data, measure their exposure",
  builder: (y: Argv) =>
    y
      .command(canaryGenerateCommand)
      .command(canaryPlantCommand)
      .command(canaryExposureCommand)
      .demandCommand(1, "Give a canary command: generate, plant or exposure."),
  handler: () => {},
};
