import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root. */
export const ROOT = resolve(here, "../..");

/** The small lab files shipped in the repository (work on a fresh clone). */
export const DEMO = {
  overfit: join(ROOT, "canaries/demo/overfit.gguf"),
  base: join(ROOT, "canaries/demo/base.gguf"),
  canaries: join(ROOT, "canaries/demo/canaries.jsonl"),
} as const;

/** The full lab beside the checkout (`../shared/lab/public`), or MEMSCAN_LAB. */
export const LAB_DIR = process.env.MEMSCAN_LAB ?? resolve(ROOT, "../shared/lab/public");
export const HAS_LAB = existsSync(join(LAB_DIR, "models/mild.gguf"));

export function labPath(...parts: string[]): string {
  return join(LAB_DIR, ...parts);
}

/**
 * `describe` for suites that need the full lab; skipped with a clear message when it is absent
 * (a fresh clone without ../shared). CI has the lab, so they run there.
 */
export const describeLab: typeof describe = HAS_LAB
  ? describe
  : (((name: string) =>
      // The suite's body is not run: it may read lab files while collecting.
      describe.skip(`${name} [skipped: full lab not found at ${LAB_DIR}; set MEMSCAN_LAB]`, () => {
        it("needs the full lab", () => {});
      })) as unknown as typeof describe);
