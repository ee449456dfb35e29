/**
 * The binary file of one shard (`shard-NNNNNN.bin`) and its ids (`shard-NNNNNN.ids.json`).
 *
 * Layout (little-endian): magic `MSCSHRD1`, then u32 docs, units, postings, breaks, unitBytes, and
 * 8-aligned sections: docStart (docs+1), docByte (docs), docWidth (docs, u8), bases (docs),
 * breakStart (docs+1), breaks, hashes, positions (u32 each), then the normalised units. Each document's
 * units are stored with one byte each when all are below 256, two otherwise (2-aligned). In memory every
 * shard is one Uint16Array.
 */
import { readFileSync } from "node:fs";
import { open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { prefixDirectory } from "../match/radix.js";
import type { BuiltShard } from "../match/shard-build.js";
import type { ShardForMatch } from "../match/shard-match.js";

const MAGIC = "MSCSHRD1";
const HEADER = 32;

const pad8 = (n: number) => (n + 7) & ~7;

/** Shard file names for shard number `n`. */
export function shardNames(n: number): { bin: string; ids: string } {
  const base = `shard-${String(n).padStart(6, "0")}`;
  return { bin: `${base}.bin`, ids: `${base}.ids.json` };
}

function encodeUnits(s: BuiltShard): { bytes: Buffer; docByte: Uint32Array; width: Uint8Array } {
  const docs = s.ids.length;
  const docByte = new Uint32Array(docs);
  const width = new Uint8Array(docs);
  let size = 0;
  for (let d = 0; d < docs; d++) {
    const a = s.docStart[d]!;
    const b = s.docStart[d + 1]!;
    let wide = false;
    for (let i = a; i < b; i++) {
      if (s.units[i]! > 255) {
        wide = true;
        break;
      }
    }
    width[d] = wide ? 2 : 1;
    if (wide) size = (size + 1) & ~1;
    docByte[d] = size;
    size += (b - a) * width[d]!;
  }
  const bytes = Buffer.alloc(size);
  for (let d = 0; d < docs; d++) {
    const part = s.units.subarray(s.docStart[d]!, s.docStart[d + 1]!);
    if (width[d] === 1) bytes.set(part, docByte[d]!);
    else Buffer.from(part.buffer, part.byteOffset, part.byteLength).copy(bytes, docByte[d]!);
  }
  return { bytes, docByte, width };
}

/** Write a built shard atomically (temp file, then rename). Returns the bytes written. */
export async function writeShard(path: string, idsPath: string, s: BuiltShard): Promise<number> {
  const docs = s.ids.length;
  const { bytes, docByte, width } = encodeUnits(s);
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, "latin1");
  [docs, s.units.length, s.hashes.length, s.breaks.length, bytes.length].forEach((v, i) => {
    head.writeUInt32LE(v, 8 + 4 * i);
  });
  const parts: Uint8Array[] = [head];
  const add = (a: Uint32Array | Uint8Array) => {
    const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(b);
    const pad = pad8(b.length) - b.length;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  };
  for (const a of [s.docStart, docByte, width, s.bases, s.breakStart, s.breaks, s.hashes, s.positions])
    add(a);
  parts.push(bytes);
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, "w");
  let total = 0;
  try {
    for (let i = 0; i < parts.length; i += 64) {
      const { bytesWritten } = await fh.writev(parts.slice(i, i + 64));
      total += bytesWritten;
    }
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const idsTmp = `${idsPath}.tmp`;
  try {
    await writeFile(idsTmp, JSON.stringify(s.ids));
    await rename(idsTmp, idsPath);
  } catch (err) {
    await rm(idsTmp, { force: true });
    throw err;
  }
  return total;
}

/** Decode a shard file (already read) into search tables. */
export function decodeShard(buf: Buffer, ids: readonly string[], path: string): ShardForMatch {
  if (buf.length < HEADER || buf.toString("latin1", 0, 8) !== MAGIC) {
    throw new ConfigError(
      `Expected a memscan shard file at ${path}, found something else; rebuild the index.`,
    );
  }
  const [docs, units, postings, nBreaks, unitBytes] = [0, 1, 2, 3, 4].map((i) =>
    buf.readUInt32LE(8 + 4 * i),
  ) as [number, number, number, number, number];
  const aligned = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
  let at = HEADER;
  // Copies, so that the file buffer (with the packed units) can be freed once the units are decoded.
  const u32 = (n: number) => {
    const a = new Uint32Array(aligned.buffer, aligned.byteOffset + at, n).slice();
    at += pad8(n * 4);
    return a;
  };
  const docStart = u32(docs + 1);
  const docByte = u32(docs);
  const width = new Uint8Array(aligned.buffer, aligned.byteOffset + at, docs);
  at += pad8(docs);
  u32(docs); // bases (kept in the file for tools; offsets are in the breakpoints)
  const breakStart = u32(docs + 1);
  const breaks = u32(nBreaks);
  const hashes = u32(postings);
  const positions = u32(postings);
  const base = aligned.byteOffset + at;
  if (at + unitBytes > aligned.length || ids.length !== docs) {
    throw new ConfigError(`Expected shard ${path} to be complete, found it truncated; rebuild the index.`);
  }
  const u = new Uint16Array(units);
  for (let d = 0; d < docs; d++) {
    const n = docStart[d + 1]! - docStart[d]!;
    if (n === 0) continue;
    const off = base + docByte[d]!;
    u.set(
      width[d] === 1 ? new Uint8Array(aligned.buffer, off, n) : new Uint16Array(aligned.buffer, off, n),
      docStart[d]!,
    );
  }
  return {
    units: u,
    docStart,
    hashes,
    positions,
    dir: prefixDirectory(hashes, postings),
    ids,
    breaks,
    breakStart,
  };
}

function parseIds(text: string, path: string): string[] {
  const ids = JSON.parse(text) as unknown;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === "string")) {
    throw new ConfigError(`Expected a JSON array of document ids in ${path}; rebuild the index.`);
  }
  return ids;
}

export const FREQUENT = "frequent.bin";

/** Write the heavy hashes of every shard as u32 triples (hash, shard, count). */
export async function writeHeavy(
  dir: string,
  heavy: readonly (readonly number[] | undefined)[],
): Promise<void> {
  const flat: number[] = [];
  heavy.forEach((list, shard) => {
    for (let i = 0; list !== undefined && i < list.length; i += 2) flat.push(list[i]!, shard, list[i + 1]!);
  });
  const tmp = join(dir, `.${FREQUENT}.tmp`);
  await writeFile(tmp, Uint32Array.from(flat));
  await rename(tmp, join(dir, FREQUENT));
}

function parseHeavy(buf: Buffer | null, shards: number): number[][] {
  const out: number[][] = Array.from({ length: shards }, () => []);
  if (buf === null) return out;
  const a = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  for (let i = 0; i + 2 < a.length; i += 3) out[a[i + 1]!]?.push(a[i]!, a[i + 2]!);
  return out;
}

/** Heavy hashes per shard (empty lists when the index has no frequent.bin). */
export async function readHeavy(dir: string, shards: number): Promise<number[][]> {
  return parseHeavy(await readFile(join(dir, FREQUENT)).catch(() => null), shards);
}

/** `readHeavy`, synchronously. */
export function readHeavySync(dir: string, shards: number): number[][] {
  let buf: Buffer | null = null;
  try {
    buf = readFileSync(join(dir, FREQUENT));
  } catch {
    buf = null;
  }
  return parseHeavy(buf, shards);
}

/** Read a shard's ids. */
export async function readIds(idsPath: string): Promise<string[]> {
  return parseIds(await readFile(idsPath, "utf8"), idsPath);
}

/** Read and decode a shard. */
export async function loadShard(path: string, idsPath: string): Promise<ShardForMatch> {
  const [buf, ids] = await Promise.all([readFile(path), readIds(idsPath)]);
  return decodeShard(buf, ids, path);
}

/** Read and decode a shard synchronously (the in-process matcher of a scan). */
export function loadShardSync(path: string, idsPath: string): ShardForMatch {
  return decodeShard(readFileSync(path), parseIds(readFileSync(idsPath, "utf8"), idsPath), path);
}
