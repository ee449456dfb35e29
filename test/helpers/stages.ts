import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configFileSchema } from "../../src/core/config.js";
import { HAS_LAB, labPath, ROOT } from "./lab.js";

/**
 * The canary-exposure (`exposure:`) stage of `memscan scan` may land from another branch: tests that
 * render its events add the config section only when this build's config knows it. The MIA (`mia:`)
 * stage is part of scan: its section is always added.
 */
export const HAS_EXPOSURE_STAGE = "exposure" in configFileSchema.shape;

/** The shipped demo records: the lab's first 40 members and 40 non-members (present on a fresh clone). */
export const DEMO_MIA_RECORDS = 40;

/**
 * YAML lines for the stage sections: MIA over the first `n` (default 20) members and non-members (written into `dir`;
 * from the full lab when present, else from the shipped canaries/demo copies of its first 40), and
 * exposure against `references` reference secrets when this build has that stage.
 */
export function stageConfig(dir: string, opts: { n?: number; references?: number } = {}): string {
  const n = Math.min(opts.n ?? 20, HAS_LAB ? Number.POSITIVE_INFINITY : DEMO_MIA_RECORDS);
  const lines: string[] = [];
  for (const [name, file] of [
    ["members", "members.jsonl"],
    ["nonmembers", "nonmembers.jsonl"],
  ] as const) {
    const source = HAS_LAB ? labPath("data", file) : join(ROOT, "canaries/demo", file);
    const head = readFileSync(source, "utf8").trim().split("\n").slice(0, n).join("\n");
    writeFileSync(join(dir, `${name}.jsonl`), `${head}\n`);
  }
  lines.push(
    "mia:",
    `  members: ${join(dir, "members.jsonl")}`,
    `  nonMembers: ${join(dir, "nonmembers.jsonl")}`,
  );
  if (HAS_EXPOSURE_STAGE) lines.push("exposure:", `  references: ${opts.references ?? 100}`);
  return lines.join("\n");
}
