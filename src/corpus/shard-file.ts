/**
 * The binary file of one shard (`shard-NNNNNN.bin`) and its ids (`shard-NNNNNN.ids.json`).
 *
 * Layout (little-endian): magic `MSCSHRD3`, then u32 docs, units, postings, breaks, unitBytes, wide, and
 * 8-aligned sections: docStart (docs+1), docByte (docs), docWidth (docs, u8), bases (docs),
 * breakStart (docs+1), breaks, hashes, positions, contexts (u32 each), wideAt (wide, u32), wideUnit (wide, u16),
 * then the normalised units. A document's units take one byte each (width 1) unless more than one in
 * `WIDE_SHARE` is above 255, then two (width 2, 2-aligned). The units above 255 of width-1 documents are
 * listed apart: `(wideAt, wideUnit)`, shard unit index and value, ascending. In memory every shard is one
 * Uint16Array.
 */
import { readFileSync } from "node:fs";
import { open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { BuiltShard } from "../match/shard-build.js";
import type { ShardForMatch } from "../match/shard-match.js";

const MAGIC = "MSCSHRD3";
const HEADER = 32;
/** A width-1 document costs n + 6 * wide bytes, a width-2 one 2n: two bytes win past one wide unit in 6. */
const WIDE_SHARE = 6;

const pad8 = (n: number) => (n + 7) & ~7;

/** Shard file names for shard number `n`. */
export function shardNames(n: number): { bin: string; ids: string } {
  const base = `shard-${String(n).padStart(6, "0")}`;
  return { bin: `${base}.bin`, ids: `${base}.ids.json` };
}

/** A buffer for the packed units, reused by a worker from shard to shard. */
export interface WriteScratch {
  bytes: Uint8Array;
}

/** The units of a shard as stored: per-document width, packed bytes and the wide-unit list. */
export interface PackedUnits {
  readonly bytes: Uint8Array;
  readonly docByte: Uint32Array;
  readonly width: Uint8Array;
  readonly wideAt: Uint32Array;
  readonly wideUnit: Uint16Array;
}

/** Positions of the units above 255, ascending (what `BuiltShard.wide` holds, found by a scan). */
export function wideUnits(units: Uint16Array): Uint32Array {
  const at: number[] = [];
  for (let i = 0; i < units.length; i++) if (units[i]! > 255) at.push(i);
  return Uint32Array.from(at);
}

/**
 * Pack `units` (documents `docStart[d] .. docStart[d + 1]`) one or two bytes a unit, as the file stores
 * them. `wide` lists the units above 255 (`wideUnits`): no scan of the units is needed.
 * @example packUnits(Uint16Array.of(97, 0x2019, 98), Uint32Array.of(0, 3), Uint32Array.of(1)).wideAt // [1]
 */
export function packUnits(
  units: Uint16Array,
  docStart: Uint32Array,
  wide: Uint32Array = wideUnits(units),
  scratch: WriteScratch = { bytes: new Uint8Array(0) },
): PackedUnits {
  const docs = docStart.length - 1;
  const docByte = new Uint32Array(docs);
  const width = new Uint8Array(docs);
  // Widths and offsets from the wide-unit counts per document.
  const wideEnd = new Uint32Array(docs);
  let size = 0;
  let e = 0;
  let listed = 0;
  for (let d = 0; d < docs; d++) {
    const a = docStart[d]!;
    const b = docStart[d + 1]!;
    const from = e;
    while (e < wide.length && wide[e]! < b) e++;
    wideEnd[d] = e;
    const two = (e - from) * WIDE_SHARE > b - a;
    if (two) size = (size + 1) & ~1;
    else listed += e - from;
    width[d] = two ? 2 : 1;
    docByte[d] = size;
    size += (b - a) * width[d]!;
  }
  if (scratch.bytes.length < size) scratch.bytes = new Uint8Array(Math.ceil(size * 1.125));
  const bytes = scratch.bytes.subarray(0, size);
  const wideAt = new Uint32Array(listed);
  const wideUnit = new Uint16Array(listed);
  let w = 0;
  e = 0;
  let end = 0;
  for (let d = 0; d < docs; d++) {
    const a = docStart[d]!;
    const b = docStart[d + 1]!;
    const off = docByte[d]!;
    if (off > end) bytes[end] = 0; // the alignment byte (the scratch buffer is not clean)
    end = off + (b - a) * width[d]!;
    const from = e;
    e = wideEnd[d]!;
    if (width[d] === 2) {
      bytes.set(new Uint8Array(units.buffer, units.byteOffset + a * 2, (b - a) * 2), off);
      continue;
    }
    bytes.set(units.subarray(a, b), off); // the low byte of each unit
    for (let j = from; j < e; j++) {
      wideAt[w] = wide[j]!;
      wideUnit[w++] = units[wide[j]!]!;
    }
  }
  return { bytes, docByte, width, wideAt, wideUnit };
}

/** Unpack into one Uint16Array of `units` (what `packUnits` packed). */
export function unpackUnits(p: PackedUnits, docStart: Uint32Array, units: number): Uint16Array {
  const u = new Uint16Array(units);
  const { bytes } = p;
  for (let d = 0; d < p.width.length; d++) {
    const n = docStart[d + 1]! - docStart[d]!;
    if (n === 0) continue;
    const off = bytes.byteOffset + p.docByte[d]!;
    u.set(
      p.width[d] === 1 ? new Uint8Array(bytes.buffer, off, n) : new Uint16Array(bytes.buffer, off, n),
      docStart[d]!,
    );
  }
  for (let i = 0; i < p.wideAt.length; i++) u[p.wideAt[i]!] = p.wideUnit[i]!;
  return u;
}

/**
 * Write a built shard atomically (temp file, then rename). Returns the bytes written. `scratch` holds the
 * packed units (reused between shards).
 */
export async function writeShard(
  path: string,
  idsPath: string,
  s: BuiltShard,
  scratch?: WriteScratch,
): Promise<number> {
  const docs = s.ids.length;
  const { bytes, docByte, width, wideAt, wideUnit } = packUnits(s.units, s.docStart, s.wide, scratch);
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, "latin1");
  [docs, s.units.length, s.hashes.length, s.breaks.length, bytes.length, wideAt.length].forEach((v, i) => {
    head.writeUInt32LE(v, 8 + 4 * i);
  });
  const parts: Uint8Array[] = [head];
  const add = (a: Uint32Array | Uint16Array | Uint8Array) => {
    const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(b);
    const pad = pad8(b.length) - b.length;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  };
  for (const a of [
    s.docStart,
    docByte,
    width,
    s.bases,
    s.breakStart,
    s.breaks,
    s.hashes,
    s.positions,
    s.contexts,
    wideAt,
    wideUnit,
  ])
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
  const magic = buf.length < HEADER ? "" : buf.toString("latin1", 0, 8);
  if (magic !== MAGIC) {
    throw new ConfigError(
      magic.startsWith("MSCSHRD")
        ? `Expected a shard file of format ${MAGIC} at ${path}, found ${magic} (an older memscan); rebuild the index.`
        : `Expected a memscan shard file at ${path}, found something else; rebuild the index.`,
    );
  }
  const [docs, units, postings, nBreaks, unitBytes, wide] = [0, 1, 2, 3, 4, 5].map((i) =>
    buf.readUInt32LE(8 + 4 * i),
  ) as [number, number, number, number, number, number];
  const aligned = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
  const truncated = () =>
    new ConfigError(`Expected shard ${path} to be complete, found it truncated; rebuild the index.`);
  let at = HEADER;
  // Copies, so that the file buffer (with the packed units) can be freed once the units are decoded.
  const take = (n: number, size: number): number => {
    if (at + n * size > aligned.length) throw truncated();
    const off = aligned.byteOffset + at;
    at += pad8(n * size);
    return off;
  };
  const u32 = (n: number) => new Uint32Array(aligned.buffer, take(n, 4), n).slice();
  const docStart = u32(docs + 1);
  const docByte = u32(docs);
  const width = new Uint8Array(aligned.buffer, take(docs, 1), docs).slice();
  u32(docs); // bases (kept in the file for tools; offsets are in the breakpoints)
  const breakStart = u32(docs + 1);
  const breaks = u32(nBreaks);
  const hashes = u32(postings);
  const positions = u32(postings);
  const contexts = u32(postings);
  const wideAt = u32(wide);
  const wideUnit = new Uint16Array(aligned.buffer, take(wide, 2), wide).slice();
  if (at + unitBytes > aligned.length || ids.length !== docs) throw truncated();
  const bytes = new Uint8Array(aligned.buffer, aligned.byteOffset + at, unitBytes);
  return {
    units: unpackUnits({ bytes, docByte, width, wideAt, wideUnit }, docStart, units),
    docStart,
    hashes,
    positions,
    contexts,
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
