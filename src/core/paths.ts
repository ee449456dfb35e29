import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(resolve(dir, "package.json")) && existsSync(resolve(dir, "canaries"))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start, "../..");
    dir = up;
  }
}

/** The installed package's root (works from `src/` under tsx and from `dist/`). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
