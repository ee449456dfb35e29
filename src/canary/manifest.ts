import { readFile } from "node:fs/promises";
import type { Canary, CanaryFormat } from "../core/data.js";
import { ConfigError, errorMessage } from "../core/errors.js";
import { writeFileAtomic } from "../core/fs.js";
import { Fields, fieldError, isRecord, type Place } from "./fields.js";

/**
 * The memscan canary manifest: JSONL, one canary per line (format in `canaries/README.md`).
 * The reader also accepts the lab's format (`canary_id`, `insert_count`, `secret_format` with
 * `space_size`) and a plain JSON array of either.
 */

const FIX = "fix that entry of the canary manifest (format: canaries/README.md)";

/** One manifest line as written by {@link writeManifest}. */
export interface ManifestRecord {
  readonly id: string;
  readonly prefix: string;
  readonly secret: string;
  readonly text?: string;
  readonly insertCount: number;
  readonly control: boolean;
  readonly format?: CanaryFormat;
}

/**
 * Read canaries from a manifest file (memscan JSONL, lab JSONL, or a JSON array of either).
 *
 * @throws ConfigError naming the file, line (or array item), field, what was expected and what was found.
 * @example const canaries = await readCanaries("canaries/demo/canaries.jsonl"); // 12 canaries
 */
export async function readCanaries(path: string): Promise<Canary[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`Expected a readable canary manifest at ${path}, got: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  return parseCanaries(text, path);
}

/** Parse manifest text; `source` names it in errors. */
export function parseCanaries(text: string, source: string): Canary[] {
  const entries: { value: unknown; place: Place }[] = [];
  if (text.trimStart().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(
        `${source}: expected a JSON array of canaries, got invalid JSON (${errorMessage(err)})`,
      );
    }
    if (!Array.isArray(parsed)) throw new ConfigError(`${source}: expected a JSON array of canaries`);
    parsed.forEach((value, i) => {
      entries.push({ value, place: { source, where: `item ${i}` } });
    });
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === "") return;
      const place = { source, where: `line ${i + 1}` };
      try {
        entries.push({ value: JSON.parse(line), place });
      } catch (err) {
        throw new ConfigError(
          `${source} line ${i + 1}: expected one JSON object per line, got invalid JSON (${errorMessage(err)}); ${FIX}`,
        );
      }
    });
  }
  const seen = new Map<string, string>();
  return entries.map(({ value, place }) => {
    const canary = parseCanary(value, place);
    const before = seen.get(canary.id);
    if (before)
      throw new ConfigError(
        `${source} ${place.where}: expected a unique \`id\`, got "${canary.id}" again (first at ${before}); ${FIX}`,
      );
    seen.set(canary.id, place.where);
    return canary;
  });
}

/** One entry in either the memscan or the lab shape. */
export function parseCanary(value: unknown, place: Place): Canary {
  if (!isRecord(value)) throw fieldError(place, "(entry)", "a JSON object", value, FIX);
  const f = new Fields(value, place, FIX);
  const lab = f.has("canary_id") || f.has("insert_count") || f.has("secret_format");
  const id = f.string(lab ? "canary_id" : "id", { nonEmpty: true });
  const insertKey = lab ? "insert_count" : "insertCount";
  const insertCount = f.int(insertKey);
  const control = f.has("control") ? f.bool("control") : insertCount === 0;
  if (control && insertCount > 0) {
    throw fieldError(place, insertKey, "0 for a control canary (`control: true`)", insertCount, FIX);
  }
  const formatKey = lab ? "secret_format" : "format";
  const format = f.has(formatKey) ? parseFormat(f.object(formatKey), lab) : undefined;
  const text = f.optString("text");
  return {
    id,
    prefix: f.string("prefix"),
    secret: f.string("secret", { nonEmpty: true }),
    ...(text !== undefined ? { text } : {}),
    insertCount,
    control,
    ...(format ? { format } : {}),
  };
}

function parseFormat(f: Fields, lab: boolean): CanaryFormat {
  const kind = f.string("kind", { nonEmpty: true });
  const sizeKey = lab ? "space_size" : "spaceSize";
  const spaceSize = f.has(sizeKey) ? f.positive(sizeKey) : undefined;
  const render = f.optString("render");
  const n = f.optInt("n", 1);
  let separator = f.optString("separator");
  if (separator === undefined && render && /space[- ]separated/i.test(render)) separator = " ";
  const pattern = f.optString("pattern");
  const wordlist = f.optString("wordlist");
  return {
    kind,
    ...(spaceSize !== undefined ? { spaceSize } : {}),
    ...(render !== undefined ? { render } : {}),
    ...(n !== undefined ? { n } : {}),
    ...(separator !== undefined ? { separator } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    ...(wordlist !== undefined ? { wordlist } : {}),
  };
}

/** The manifest line for a canary (fields in a fixed order). */
export function toManifestRecord(c: Canary): ManifestRecord {
  return {
    id: c.id,
    prefix: c.prefix,
    secret: c.secret,
    ...(c.text !== undefined ? { text: c.text } : {}),
    insertCount: c.insertCount,
    control: c.control,
    ...(c.format ? { format: c.format } : {}),
  };
}

/**
 * Write canaries as a memscan JSONL manifest, atomically (temp file + rename).
 *
 * @example await writeManifest("canaries/my-run.jsonl", generateCanaries({ count: 10, seed: 1 }));
 */
export async function writeManifest(path: string, canaries: readonly Canary[]): Promise<void> {
  const body = canaries.map((c) => JSON.stringify(toManifestRecord(c))).join("\n");
  await writeFileAtomic(path, canaries.length ? `${body}\n` : "");
}
