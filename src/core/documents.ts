import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Document } from "./data.js";
import { ConfigError, errorMessage } from "./errors.js";

/** Options of `readDocuments`. */
export interface ReadDocumentsOptions {
  /** JSONL field holding the text. Default `text`. */
  readonly textField?: string;
  /** JSONL field holding the id. Default: the first of `id`, `doc_id`, `record_id`, else `<file>:<line>`. */
  readonly idField?: string;
}

const ID_FIELDS = ["id", "doc_id", "record_id"] as const;
const JSONL = /\.(jsonl|ndjson)$/i;

/**
 * Read documents from JSONL files (one JSON object per line with a string text field; other string or
 * number fields become `fields`), plain text files (one document per file, id = file name), or folders of
 * such files (sorted by name, hidden files skipped, not recursive). `.gz` files are gunzipped. Ids must be
 * unique across all paths. Each document's `source` is the name of the path it came through (file or
 * folder), so reports can give numbers per document set. Every problem is a ConfigError naming the file (and line) and what to fix.
 *
 * @example
 * const docs = await readDocuments(["data/members.jsonl"]); // ids from `record_id`
 */
export async function readDocuments(
  paths: readonly string[],
  opts: ReadDocumentsOptions = {},
): Promise<Document[]> {
  const out: Document[] = [];
  const where = new Map<string, string>();
  for (const path of paths) {
    const source = basename(path.replace(/[\\/]+$/, ""));
    for (const file of await expand(path)) {
      for (const { doc: read, at } of await readFile1(file, opts)) {
        const doc = { ...read, source };
        const first = where.get(doc.id);
        if (first !== undefined) {
          throw new ConfigError(
            `Expected document ids to be unique, found \`${doc.id}\` at ${first} and at ${at}; ` +
              "give each document its own id (or pass --id-field / idField).",
          );
        }
        where.set(doc.id, at);
        out.push(doc);
      }
    }
  }
  return out;
}

async function expand(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw new ConfigError(
      `Expected a documents file or folder at \`${path}\`, but it could not be read (${errorMessage(err)}); ` +
        "check the path.",
      { cause: err },
    );
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) {
    throw new ConfigError(
      `Expected documents in folder \`${path}\`, found no files; add .txt or .jsonl files.`,
    );
  }
  return names.map((n) => join(path, n));
}

async function readFile1(file: string, opts: ReadDocumentsOptions): Promise<{ doc: Document; at: string }[]> {
  let buf = await readFile(file);
  let name = basename(file);
  if (/\.gz$/i.test(name)) {
    try {
      buf = gunzipSync(buf);
    } catch (err) {
      throw new ConfigError(
        `Expected \`${file}\` to be gzip-compressed (it ends in .gz), but gunzip failed (${errorMessage(err)}); ` +
          "recompress it or drop the .gz suffix.",
        { cause: err },
      );
    }
    name = name.slice(0, -3);
  }
  const text = buf.toString("utf8");
  if (!JSONL.test(name)) return [{ doc: { id: name, text }, at: `\`${file}\`` }];
  return parseJsonl(file, text, opts);
}

function parseJsonl(
  file: string,
  content: string,
  opts: ReadDocumentsOptions,
): { doc: Document; at: string }[] {
  const textField = opts.textField ?? "text";
  const out: { doc: Document; at: string }[] = [];
  const lines = content.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const at = `\`${file}\` line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ConfigError(
        `Expected a JSON object at ${at}, found invalid JSON (${errorMessage(err)}): ${excerpt(line)}; ` +
          "fix or remove the line.",
        { cause: err },
      );
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ConfigError(
        `Expected a JSON object at ${at}, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)}; ` +
          `write one object per line with a string "${textField}" field.`,
      );
    }
    const rec = value as Record<string, unknown>;
    const text = rec[textField];
    if (typeof text !== "string") {
      throw new ConfigError(
        `Expected a string "${textField}" field at ${at}, found ${text === undefined ? "no such field" : typeof text} ` +
          `(keys: ${Object.keys(rec).join(", ") || "none"}); add the field or pass textField (--text-field).`,
      );
    }
    out.push({ doc: toDocument(rec, text, textField, `${basename(file)}:${i + 1}`, at, opts.idField), at });
  }
  return out;
}

function toDocument(
  rec: Record<string, unknown>,
  text: string,
  textField: string,
  fallbackId: string,
  at: string,
  idField: string | undefined,
): Document {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === textField) continue;
    if (typeof v === "string") fields[k] = v;
    else if (typeof v === "number" && Number.isFinite(v)) fields[k] = String(v);
  }
  let id: string | undefined;
  if (idField !== undefined) {
    id = fields[idField];
    if (id === undefined || id === "") {
      throw new ConfigError(
        `Expected a string or number "${idField}" field (the id field) at ${at}, found ${JSON.stringify(rec[idField]) ?? "none"}; ` +
          "add it or choose another idField.",
      );
    }
  } else {
    id = ID_FIELDS.map((f) => fields[f]).find((v) => v !== undefined && v !== "") ?? fallbackId;
  }
  return Object.keys(fields).length > 0 ? { id, text, fields } : { id, text };
}

function excerpt(line: string): string {
  return line.length > 60 ? `${JSON.stringify(line.slice(0, 57))}...` : JSON.stringify(line);
}
