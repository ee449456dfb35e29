import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

/**
 * Run the CLI in this process (its real yargs setup and handlers, no new process): for commands that only
 * read run folders (`report`, `diff`, `history`). `--out` catches what the command writes.
 */
export async function runMain(args: readonly string[]): Promise<{ code: number; out: string }> {
  const file = join(tmpdir(), `memscan-main-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const code = await main([...args, "--out", file]);
  let out = "";
  try {
    out = readFileSync(file, "utf8");
    rmSync(file);
  } catch {}
  return { code, out };
}
