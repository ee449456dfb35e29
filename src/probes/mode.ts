import { CapabilityError } from "../core/errors.js";
import type { CapabilitySet } from "../core/types.js";
import type { ModeChoice } from "./params.js";

/** How an attempt is sent; recorded as the request kind. */
export type Mode = "chat" | "completion";

/**
 * Pick chat or raw completion from the target's probed capabilities.
 * `auto` takes `prefer` when present, else the other mode; a forced mode the target lacks, or a target with
 * neither, throws a CapabilityError.
 *
 * @example
 * chooseMode(caps, "completion", "auto", "extraction.canary"); // "completion" on a base model
 */
export function chooseMode(caps: CapabilitySet, prefer: Mode, choice: ModeChoice, probeId: string): Mode {
  if (choice !== "auto") {
    if (caps[choice]) return choice;
    throw new CapabilityError(
      `Expected the target to support \`${choice}\` for probe \`${probeId}\` (mode: ${choice}), ` +
        `but it was probed without it; set mode to "auto" or pick a target with ${choice}.`,
    );
  }
  const other: Mode = prefer === "chat" ? "completion" : "chat";
  if (caps[prefer]) return prefer;
  if (caps[other]) return other;
  throw new CapabilityError(
    `Expected the target to support chat or completion for probe \`${probeId}\`, found neither; ` +
      "check the target's capability notes (`target.capabilities` event).",
  );
}
