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
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { HeavyList } from "../match/frequent.js";
import type { HashFilter } from "../match/hash-filter.js";
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

/** Bytes of a shard file: `read` fills `into` from file offset `position` (throws when the file is shorter). */
interface ShardBytes {
  readonly size: number;
  read(into: Uint8Array, position: number): void;
}

/** A shard file already in memory. */
function bufferBytes(buf: Uint8Array): ShardBytes {
  return {
    size: buf.length,
    read: (into, position) => into.set(buf.subarray(position, position + into.length)),
  };
}

/** An open shard file, read section by section into the search tables (no copy of the whole file). */
function fileBytes(fd: number): ShardBytes {
  return {
    size: fstatSync(fd).size,
    read(into, position) {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, position + done);
        if (n === 0) throw new RangeError("unexpected end of file");
        done += n;
      }
    },
  };
}

/** Packed units read and widened per piece of at most this many bytes. */
const UNIT_CHUNK = 1 << 22;

/**
 * Memory for the large tables of shards that are not kept: a query worker reads shard after shard into the
 * same arrays instead of allocating new ones while the last shard's wait for the garbage collector (which
 * held two shards per worker in memory). A shard read into an arena is valid until the next read into it.
 */
export class ShardArena {
  private readonly u32s = new Map<string, Uint32Array>();
  private u16s: Uint16Array = new Uint16Array(0);

  /** `n` words of table `name` (contents undefined). */
  u32(name: string, n: number): Uint32Array {
    let a = this.u32s.get(name);
    if (a === undefined || a.length < n) {
      a = new Uint32Array(Math.ceil(n * 1.125));
      this.u32s.set(name, a);
    }
    return a.subarray(0, n);
  }

  /** `n` units (contents undefined). */
  units(n: number): Uint16Array {
    if (this.u16s.length < n) this.u16s = new Uint16Array(Math.ceil(n * 1.125));
    return this.u16s.subarray(0, n);
  }
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

/**
 * Unpack into one Uint16Array of `units` (what `packUnits` packed), widening the one-byte documents
 * `chunk` bytes at a time.
 */
export function unpackUnits(
  p: PackedUnits,
  docStart: Uint32Array,
  units: number,
  chunk = UNIT_CHUNK,
): Uint16Array {
  return readUnits(bufferBytes(p.bytes), 0, p, docStart, units, chunk);
}

/** `unpackUnits` of the packed units at `at` in `file` (`p.bytes` unused). */
function readUnits(
  file: ShardBytes,
  at: number,
  p: Omit<PackedUnits, "bytes">,
  docStart: Uint32Array,
  units: number,
  chunk: number,
  arena?: ShardArena,
): Uint16Array {
  const u = arena?.units(units) ?? new Uint16Array(units);
  let piece: Uint8Array | undefined;
  for (let d = 0; d < p.width.length; d++) {
    const n = docStart[d + 1]! - docStart[d]!;
    const from = at + p.docByte[d]!;
    if (p.width[d] === 2) {
      file.read(new Uint8Array(u.buffer, u.byteOffset + docStart[d]! * 2, n * 2), from);
      continue;
    }
    piece ??= new Uint8Array(chunk);
    for (let i = 0; i < n; i += chunk) {
      const len = Math.min(chunk, n - i);
      file.read(piece.subarray(0, len), from + i);
      u.set(piece.subarray(0, len), docStart[d]! + i);
    }
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
  return decodeFrom(bufferBytes(buf), ids, path);
}

/**
 * Decode a shard from its bytes, each section read straight into its own array and the packed units
 * widened piece by piece: memory holds the tables, not the file as well.
 */
function decodeFrom(
  file: ShardBytes,
  ids: readonly string[],
  path: string,
  arena?: ShardArena,
): ShardForMatch {
  const head = new Uint8Array(Math.min(HEADER, file.size));
  file.read(head, 0);
  const magic = head.length < HEADER ? "" : Buffer.from(head.buffer, 0, 8).toString("latin1");
  if (magic !== MAGIC) {
    throw new ConfigError(
      magic.startsWith("MSCSHRD")
        ? `Expected a shard file of format ${MAGIC} at ${path}, found ${magic} (an older memscan); rebuild the index.`
        : `Expected a memscan shard file at ${path}, found something else; rebuild the index.`,
    );
  }
  const view = new DataView(head.buffer);
  const [docs, units, postings, nBreaks, unitBytes, wide] = [0, 1, 2, 3, 4, 5].map((i) =>
    view.getUint32(8 + 4 * i, true),
  ) as [number, number, number, number, number, number];
  const truncated = () =>
    new ConfigError(`Expected shard ${path} to be complete, found it truncated; rebuild the index.`);
  let at = HEADER;
  const take = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
    if (at + a.byteLength > file.size) throw truncated();
    file.read(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
    return a;
  };
  const docStart = take(new Uint32Array(docs + 1));
  const docByte = take(new Uint32Array(docs));
  const width = take(new Uint8Array(docs));
  at += pad8(docs * 4); // bases (kept in the file for tools; offsets are in the breakpoints)
  const breakStart = take(new Uint32Array(docs + 1));
  const breaks = take(arena?.u32("breaks", nBreaks) ?? new Uint32Array(nBreaks));
  const hashes = take(arena?.u32("hashes", postings) ?? new Uint32Array(postings));
  const positions = take(arena?.u32("positions", postings) ?? new Uint32Array(postings));
  const contexts = take(arena?.u32("contexts", postings) ?? new Uint32Array(postings));
  const wideAt = take(new Uint32Array(wide));
  const wideUnit = take(new Uint16Array(wide));
  if (at + unitBytes > file.size || ids.length !== docs) throw truncated();
  const u = readUnits(file, at, { docByte, width, wideAt, wideUnit }, docStart, units, UNIT_CHUNK, arena);
  return { units: u, docStart, hashes, positions, contexts, ids, breaks, breakStart };
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
export async function writeHeavy(dir: string, heavy: readonly (HeavyList | undefined)[]): Promise<void> {
  const flat: number[] = [];
  heavy.forEach((list, shard) => {
    for (let i = 0; list !== undefined && i < list.length; i += 2) flat.push(list[i]!, shard, list[i + 1]!);
  });
  const tmp = join(dir, `.${FREQUENT}.tmp`);
  await writeFile(tmp, Uint32Array.from(flat));
  await rename(tmp, join(dir, FREQUENT));
}

/** The triples as per-shard lists `[hash, count, ...]`: a counting pass, then typed arrays filled. */
function parseHeavy(buf: Buffer | null, shards: number, path: string): HeavyList[] {
  if (buf !== null && buf.length % 12 !== 0) {
    throw new ConfigError(
      `Expected ${path} to hold (hash, shard, count) triples, found ${buf.length} bytes; rebuild the index.`,
    );
  }
  // A copy: a small file's buffer may sit at an offset that is not 4-aligned.
  const a =
    buf === null
      ? new Uint32Array(0)
      : new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const sizes = new Uint32Array(shards);
  for (let i = 0; i + 2 < a.length; i += 3) if (a[i + 1]! < shards) sizes[a[i + 1]!]! += 2;
  const out = Array.from(sizes, (n) => new Uint32Array(n));
  const fill = new Uint32Array(shards);
  for (let i = 0; i + 2 < a.length; i += 3) {
    const s = a[i + 1]!;
    if (s >= shards) continue;
    out[s]![fill[s]!++] = a[i]!;
    out[s]![fill[s]!++] = a[i + 2]!;
  }
  return out;
}

/** Heavy hashes per shard (empty lists when the index has no frequent.bin). */
export async function readHeavy(dir: string, shards: number): Promise<HeavyList[]> {
  const path = join(dir, FREQUENT);
  return parseHeavy(await readFile(path).catch(() => null), shards, path);
}

/** `readHeavy`, synchronously. */
export function readHeavySync(dir: string, shards: number): HeavyList[] {
  const path = join(dir, FREQUENT);
  let buf: Buffer | null = null;
  try {
    buf = readFileSync(path);
  } catch {
    buf = null;
  }
  return parseHeavy(buf, shards, path);
}

export const FILTER = "filter.bin";

/** Write the index's hash filter: u32 prefix bits, then the words. */
export async function writeFilter(dir: string, f: HashFilter): Promise<void> {
  const tmp = join(dir, `.${FILTER}.tmp`);
  const head = Uint32Array.of(f.bits);
  const fh = await open(tmp, "w");
  try {
    await fh.writev([
      new Uint8Array(head.buffer),
      new Uint8Array(f.words.buffer, f.words.byteOffset, f.words.byteLength),
    ]);
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, FILTER));
}

function parseFilter(buf: Buffer, path: string): HashFilter {
  const bits = buf.length >= 4 ? buf.readUInt32LE(0) : 0;
  if (bits < 5 || bits > 32 || buf.length !== 4 + 2 ** (bits - 3)) {
    throw new ConfigError(`Expected a hash filter in ${path}, found a damaged file; rebuild the index.`);
  }
  // A copy: the file's buffer may sit at an offset that is not 4-aligned.
  return { bits, words: new Uint32Array(buf.buffer.slice(buf.byteOffset + 4, buf.byteOffset + buf.length)) };
}

/** The index's hash filter, or undefined for an index without one (built before filters: no filtering). */
export async function readFilter(dir: string): Promise<HashFilter | undefined> {
  const path = join(dir, FILTER);
  const buf = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  return buf === undefined ? undefined : parseFilter(buf, path);
}

/** `readFilter`, synchronously. */
export function readFilterSync(dir: string): HashFilter | undefined {
  const path = join(dir, FILTER);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseFilter(buf, path);
}

/** Read a shard's ids. */
export async function readIds(idsPath: string): Promise<string[]> {
  return parseIds(await readFile(idsPath, "utf8"), idsPath);
}

/**
 * Read and decode a shard (the file is read synchronously: a query worker has nothing else to do
 * meanwhile), into `arena` when given.
 */
export async function loadShard(path: string, idsPath: string, arena?: ShardArena): Promise<ShardForMatch> {
  return readShard(path, await readIds(idsPath), arena);
}

/** Read and decode a shard synchronously (the in-process matcher of a scan). */
export function loadShardSync(path: string, idsPath: string): ShardForMatch {
  return readShard(path, parseIds(readFileSync(idsPath, "utf8"), idsPath));
}

function readShard(path: string, ids: readonly string[], arena?: ShardArena): ShardForMatch {
  const fd = openSync(path, "r");
  try {
    return decodeFrom(fileBytes(fd), ids, path, arena);
  } finally {
    closeSync(fd);
  }
}
