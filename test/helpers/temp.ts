import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh empty folder under the OS temp dir (left for the OS to clean; tests may inspect it after a failure). */
export function tempDir(prefix = "memscan-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
