import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { ConfigError, errorMessage } from "./errors.js";

/**
 * The top-level `probes/` folder that ships with the package (found by walking up from this module to
 * the directory holding `package.json`), so the loader works from `src/` under tsx and from `dist/`.
 */
export const PACKS_DIR: string = join(packageRoot(dirname(fileURLToPath(import.meta.url))), "probes");

function packageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/**
 * Load and validate a JSON probe pack. `path` is relative to `probes/` (or absolute). A missing file,
 * bad JSON or a schema violation throws a ConfigError naming the file and the problem.
 *
 * @example
 * const pack = loadPack("divergence/repeat-word.json", RepeatWordPack);
 */
export function loadPack<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  const file = path.startsWith("/") ? path : join(PACKS_DIR, path);
  const shown = file.startsWith(PACKS_DIR) ? `probes/${relative(PACKS_DIR, file)}` : file;
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(
      `Expected a probe pack at \`${shown}\`, but it could not be read (${errorMessage(err)}); ` +
        "reinstall memscan or point the probe at an existing pack.",
      { cause: err },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(
      `Expected probe pack \`${shown}\` to be valid JSON, got a parse error (${errorMessage(err)}); ` +
        "fix the file (see probes/README.md for the format).",
      { cause: err },
    );
  }
  const res = schema.safeParse(data, { reportInput: true });
  if (!res.success) {
    throw new ConfigError(
      `Expected probe pack \`${shown}\` to match its format, found: ${formatIssues(res.error.issues)}; ` +
        "fix the file (see probes/README.md for the format).",
    );
  }
  return res.data;
}

/** A zod issue list as one line: `path: message (got value)` joined by `; `. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const where = i.path.length > 0 ? i.path.join(".") : "(top level)";
      const got = "input" in i && i.code !== "unrecognized_keys" ? ` (got ${shortJson(i.input)})` : "";
      return `\`${where}\`: ${i.message}${got}`;
    })
    .join("; ");
}

function shortJson(value: unknown): string {
  const s = value === undefined ? "nothing" : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
