/**
 * Stream documents out of the files and folders given to `memscan index build`: plain text (one document
 * per file), JSONL (one per line, a chosen text field) and gzip of either. Folders are walked recursively
 * (sorted, hidden entries skipped). Files are read in chunks and never held whole: a text file longer than
 * `maxDocChars` becomes several parts of one document (cut after a newline), each with its raw offset.
 * Text files come out as UTF-8 bytes (the workers decode them), JSONL records as strings.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { ShardDoc } from "../match/shard-build.js";
import { utf16Length } from "./doc-bytes.js";

/** How documents are read. */
export interface SourceOptions {
  /** JSONL field holding the text. Default `text`. */
  readonly textField?: string;
  /** JSONL field holding the id. Default: `id`, `doc_id` or `record_id`, else `<file>:<line>`. */
  readonly idField?: string;
  /** Longest document part, in characters. Default 16M. */
  readonly maxDocChars?: number;
}

/** One input file, as recorded in the manifest. */
export interface SourceFile {
  readonly path: string;
  /** Id prefix: the path relative to the folder given, or the file name. */
  readonly name: string;
  readonly bytes: number;
}

/** A file's digest and document count, known once it has been read. */
export interface SourceDone {
  readonly file: SourceFile;
  readonly sha256: string;
  readonly docs: number;
}

const ID_FIELDS = ["id", "doc_id", "record_id"] as const;
const JSONL = /\.(jsonl|ndjson)(\.gz)?$/i;

async function walk(dir: string, root: string, out: SourceFile[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, root, out);
    else if (e.isFile()) {
      const info = await stat(p);
      out.push({ path: p, name: relative(root, p).split(sep).join("/"), bytes: info.size });
    }
  }
}

/** The files behind the given paths, in order. Missing paths and empty folders are ConfigErrors. */
export async function listSources(paths: readonly string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const given of paths) {
    const p = resolve(given);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (err) {
      throw new ConfigError(
        `Expected a file or folder at \`${given}\`, but it could not be read (${errorMessage(err)}); check the path.`,
        { cause: err },
      );
    }
    if (info.isDirectory()) {
      const before = out.length;
      await walk(p, p, out);
      if (out.length === before) {
        throw new ConfigError(`Expected files in folder \`${given}\`, found none; add .txt or .jsonl files.`);
      }
    } else out.push({ path: p, name: basename(p), bytes: info.size });
  }
  return out;
}

async function* chunks(file: SourceFile, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const raw = createReadStream(file.path, { highWaterMark: 4 << 20 });
  const gz = /\.gz$/i.test(file.path);
  if (gz) raw.on("data", (c) => hash.update(c as Buffer));
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on("error", (err) => stream.destroy(err));
  try {
    for await (const c of stream) {
      if (!gz) hash.update(c as Buffer);
      yield c as Buffer;
    }
  } catch (err) {
    throw new ConfigError(
      `Expected to read \`${file.path}\`${/\.gz$/i.test(file.path) ? " (gzip)" : ""}, but it failed (${errorMessage(err)}); ` +
        "check or recompress the file.",
      { cause: err },
    );
  }
}

/** A plain file that fits in one document part, read whole into a buffer of its own (no chunk copies). */
async function* wholeFile(file: SourceFile, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  let buf: Buffer;
  try {
    buf = await readFile(file.path);
  } catch (err) {
    const why = `Expected to read \`${file.path}\`, but it failed (${errorMessage(err)}); check the file.`;
    throw new ConfigError(why, { cause: err });
  }
  hash.update(buf);
  yield buf;
}

/**
 * A text file as documents of UTF-8 bytes (decoded by the workers): one part, or parts of at most
 * `2 * max` bytes cut after a newline (never inside a character), each with the raw (UTF-16) offset.
 */
async function* textDocs(
  file: SourceFile,
  max: number,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<ShardDoc> {
  const maxBytes = max * 2;
  const whole = !/\.gz$/i.test(file.path) && file.bytes <= maxBytes;
  let pending: Buffer[] = [];
  let size = 0;
  let base = 0;
  for await (const c of whole ? wholeFile(file, hash) : chunks(file, hash)) {
    pending.push(c);
    size += c.length;
    while (size > maxBytes) {
      const all = Buffer.concat(pending);
      let cut = all.lastIndexOf(10, maxBytes);
      if (cut <= 0) cut = maxBytes;
      while (cut < all.length && (all[cut]! & 0xc0) === 0x80) cut++;
      const end = cut + (all[cut] === 10 ? 1 : 0);
      const text = new Uint8Array(all.subarray(0, end));
      const at = base;
      base += utf16Length(text); // before the yield: the consumer may transfer (detach) the bytes
      yield { id: file.name, text, base: at };
      pending = [all.subarray(end)];
      size = all.length - end;
    }
  }
  yield { id: file.name, text: pending.length === 1 ? pending[0]! : Buffer.concat(pending), base };
}

function excerpt(line: string): string {
  return line.length > 60 ? `${JSON.stringify(line.slice(0, 57))}...` : JSON.stringify(line);
}

function jsonlDoc(file: SourceFile, line: string, n: number, o: SourceOptions): ShardDoc {
  const at = `\`${file.path}\` line ${n}`;
  const textField = o.textField ?? "text";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new ConfigError(
      `Expected a JSON object at ${at}, found invalid JSON (${errorMessage(err)}): ${excerpt(line)}; fix or remove the line.`,
      { cause: err },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(
      `Expected a JSON object at ${at}, found ${excerpt(line)}; write one object per line with a string "${textField}" field.`,
    );
  }
  const rec = value as Record<string, unknown>;
  const text = rec[textField];
  if (typeof text !== "string") {
    throw new ConfigError(
      `Expected a string "${textField}" field at ${at}, found ${text === undefined ? "no such field" : typeof text} ` +
        `(keys: ${Object.keys(rec).join(", ") || "none"}); add the field or pass --field.`,
    );
  }
  const idOf = (k: string) => {
    const v = rec[k];
    return typeof v === "string" && v !== ""
      ? v
      : typeof v === "number" && Number.isFinite(v)
        ? String(v)
        : undefined;
  };
  let id: string | undefined;
  if (o.idField !== undefined) {
    id = idOf(o.idField);
    if (id === undefined) {
      throw new ConfigError(
        `Expected a string or number "${o.idField}" field (the id field) at ${at}; add it or choose another --id-field.`,
      );
    }
  } else id = ID_FIELDS.map(idOf).find((v) => v !== undefined) ?? `${basename(file.name)}:${n}`;
  return { id, text, base: 0 };
}

async function* jsonlDocs(
  file: SourceFile,
  o: SourceOptions,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<ShardDoc> {
  let rest = "";
  let n = 0;
  const dec = new StringDecoder("utf8");
  for await (const c of chunks(file, hash)) {
    const text = rest + dec.write(c);
    let from = 0;
    for (;;) {
      const nl = text.indexOf("\n", from);
      if (nl < 0) break;
      n++;
      const line = text.slice(from, nl);
      from = nl + 1;
      if (line.trim() !== "") yield jsonlDoc(file, line, n, o);
    }
    rest = text.slice(from);
  }
  rest += dec.end();
  if (rest.trim() !== "") yield jsonlDoc(file, rest, n + 1, o);
}

/**
 * The documents of one file, then (as the generator's return value) its digest and count. UTF-8 split
 * across chunk boundaries is handled (a streaming decoder for JSONL, cuts on character boundaries for text).
 */
export async function* readSource(
  file: SourceFile,
  o: SourceOptions = {},
): AsyncGenerator<ShardDoc, SourceDone> {
  const hash = createHash("sha256");
  let docs = 0;
  const jsonl = JSONL.test(file.path);
  const gen = jsonl ? jsonlDocs(file, o, hash) : textDocs(file, o.maxDocChars ?? 1 << 24, hash);
  for await (const d of gen) {
    if (d.base === 0) docs++;
    yield d;
  }
  return { file, sha256: hash.digest("hex"), docs };
}
