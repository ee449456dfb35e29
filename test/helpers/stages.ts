import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configFileSchema } from "../../src/core/config.js";
import { HAS_LAB, labPath } from "./lab.js";

/**
 * The MIA (`mia:`) and canary-exposure (`exposure:`) stages of `memscan scan` land from other branches.
 * Tests that render their events add the config sections only when this build's config knows them, and
 * assert on ROC curves and canary tables only when the events are there.
 */
export const HAS_MIA_STAGE = "mia" in configFileSchema.shape;
export const HAS_EXPOSURE_STAGE = "exposure" in configFileSchema.shape;

/**
 * YAML lines for the stage sections this build supports: MIA over the first `n` lab members and
 * non-members (written into `dir`), exposure against `references` reference secrets.
 */
export function stageConfig(dir: string, opts: { n?: number; references?: number } = {}): string {
  const lines: string[] = [];
  if (HAS_MIA_STAGE && HAS_LAB) {
    const n = opts.n ?? 40;
    for (const [name, file] of [
      ["members", "members.jsonl"],
      ["nonmembers", "nonmembers.jsonl"],
    ] as const) {
      const head = readFileSync(labPath("data", file), "utf8").split("\n").slice(0, n).join("\n");
      writeFileSync(join(dir, `${name}.jsonl`), `${head}\n`);
    }
    lines.push(
      "mia:",
      `  members: ${join(dir, "members.jsonl")}`,
      `  nonMembers: ${join(dir, "nonmembers.jsonl")}`,
    );
  }
  if (HAS_EXPOSURE_STAGE) lines.push("exposure:", `  references: ${opts.references ?? 100}`);
  return lines.join("\n");
}
