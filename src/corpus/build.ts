/**
 * Build (`buildIndex`) or extend (`addToIndex`) an on-disk corpus index: documents are streamed from the
 * sources into shards of about `shardChars` characters; worker threads normalise, fingerprint and write
 * the shards in parallel while this thread reads on. At most one shard per worker plus the one being
 * filled is in memory, so memory is set by `shardChars` and `workers`, not by the corpus.
 */
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import type { HeavyList } from "../match/frequent.js";
import { addHashes, emptyFilter, filterBits } from "../match/hash-filter.js";
import type { ShardDoc } from "../match/shard-build.js";
import { digest, readFileDocs } from "./build-read.js";
import { docChars, transferable } from "./doc-bytes.js";
import {
  hashParams,
  type Manifest,
  NORMALIZATION,
  readManifest,
  type ShardEntry,
  writeManifest,
} from "./manifest.js";
import { WorkerPool } from "./pool.js";
import { readFilter, readHeavy, readIds, shardNames, writeFilter, writeHeavy } from "./shard-file.js";
import { listSources, type SourceOptions } from "./sources.js";
import type { BuildResult } from "./worker-protocol.js";

/** Options of `buildIndex` and `addToIndex`. */
export interface BuildOptions extends SourceOptions {
  /** Shortest verbatim span the index must find (characters). Default 50. */
  readonly minLength?: number;
  /** k-gram length. Default min(16, minLength). */
  readonly k?: number;
  /** Sampling stride: every w-th k-gram of a document is kept. Default min(17, minLength - k + 1). */
  readonly w?: number;
  /**
   * Characters per shard. Default 64Mi: a building worker needs about 5 bytes per shard character plus
   * about 150 MB (so about 470 MB), a query worker about 3 (the shard's units and postings) plus its hits.
   * Fewer, bigger shards make queries cheaper: each shard is joined with every k-gram of the batch, and
   * the per-shard limits (`maxPostings`, `maxSpanSeeds`) repeat once per shard. On the 1 GB bench, 64Mi
   * queried 10,000 outputs about 1.25x faster than 32Mi (alternating runs) with 1.35 GB peak memory
   * against 1.15 GB; 96Mi needed 1.48 GB to build and 1.66 GB to query.
   */
  readonly shardChars?: number;
  /** Worker threads. Default 2. */
  readonly workers?: number;
  readonly onProgress?: (p: BuildProgress) => void;
}

/** Progress of a build. */
export interface BuildProgress {
  readonly files: number;
  readonly filesTotal: number;
  readonly bytes: number;
  readonly bytesTotal: number;
  readonly docs: number;
  readonly shards: number;
}

/** What a build or add did. */
export interface BuildSummary {
  readonly manifest: Manifest;
  readonly seconds: number;
  readonly bytesRead: number;
  readonly addedDocs: number;
  readonly addedShards: number;
  /** Files skipped because the index already holds them (same path, size and digest). */
  readonly skipped: readonly string[];
}

/** Resolve k and w for a minimum length; ConfigError when they cannot guarantee it. */
export function indexParams(o: BuildOptions): { k: number; w: number; minLength: number } {
  const minLength = o.minLength ?? 50;
  const k = o.k ?? Math.min(16, minLength);
  const w = o.w ?? Math.max(1, Math.min(17, minLength - k + 1));
  for (const [name, v] of [
    ["min-length", minLength],
    ["kgram", k],
    ["window", w],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new ConfigError(`Expected --${name} to be a positive integer, got ${v}.`);
  }
  if (k + w - 1 > minLength) {
    throw new ConfigError(
      `Expected --kgram + --window - 1 <= --min-length, got ${k} + ${w} - 1 > ${minLength}; ` +
        "lower --kgram or --window, or raise --min-length.",
    );
  }
  return { k, w, minLength };
}

/**
 * Build a new index of `inputs` in `out` (which must not hold an index yet).
 * @example await buildIndex(["data/"], "corpus.idx", { textField: "text" })
 */
export async function buildIndex(
  inputs: readonly string[],
  out: string,
  o: BuildOptions = {},
): Promise<BuildSummary> {
  const exists = await stat(join(out, "manifest.json")).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new ConfigError(
      `Expected no index at \`${out}\` yet, found one; use \`memscan index add\` or another --out.`,
    );
  }
  const { k, w, minLength } = indexParams(o);
  await mkdir(out, { recursive: true });
  const now = new Date().toISOString();
  const manifest: Manifest = {
    format: "memscan-corpus-index",
    version: 5,
    memscanVersion: VERSION,
    createdAt: now,
    updatedAt: now,
    normalization: NORMALIZATION,
    params: { k, w, guarantee: k + w - 1, minLength, ...hashParams(), shardChars: o.shardChars ?? 1 << 26 },
    sources: [],
    shards: [],
  };
  return ingest(out, manifest, inputs, o, new Set());
}

/**
 * Add `inputs` to the index in `dir` with its own parameters; files already indexed are skipped.
 * @example await addToIndex("corpus.idx", ["more.jsonl"])
 */
export async function addToIndex(
  dir: string,
  inputs: readonly string[],
  o: BuildOptions = {},
): Promise<BuildSummary> {
  const manifest = await readManifest(dir);
  const ids = new Set<string>();
  for (const s of manifest.shards) for (const id of await readIds(join(dir, s.ids))) ids.add(id);
  return ingest(dir, manifest, inputs, o, ids);
}

async function ingest(
  dir: string,
  base: Manifest,
  inputs: readonly string[],
  o: BuildOptions,
  ids: Set<string>,
): Promise<BuildSummary> {
  const t0 = performance.now();
  const files = await listSources(inputs);
  const { k, w, shardChars } = base.params;
  const pool = new WorkerPool(o.workers ?? 2);
  const shards: ShardEntry[] = [...base.shards];
  const sources = [...base.sources];
  const skipped: string[] = [];
  const inflight = new Set<Promise<void>>();
  const heavy: HeavyList[] = await readHeavy(dir, shards.length);
  const bytesTotal = files.reduce((n, f) => n + f.bytes, 0);
  // The hash filter: sized for the index when it is created; an index without one (built before filters)
  // stays without, since a filter of the new shards alone would drop the old shards' matches.
  const filter = shards.length === 0 ? emptyFilter(filterBits(bytesTotal / w)) : await readFilter(dir);
  let rank = shards.reduce((n, s) => n + s.docs, 0);
  let next = shards.length;
  let job: ShardDoc[] = [];
  let jobChars = 0;
  let bytesRead = 0;
  let docs = 0;
  let added = 0;
  const progress = (filesDone: number) =>
    o.onProgress?.({
      files: filesDone,
      filesTotal: files.length,
      bytes: bytesRead,
      bytesTotal,
      docs,
      shards: added,
    });
  // Submit a full shard as soon as a worker is free, then go on reading: the next shard fills while the
  // workers build (one shard of documents waits here at most, so no worker waits for this thread).
  const flush = async () => {
    if (job.length === 0) return;
    while (inflight.size >= pool.size) await Promise.race(inflight);
    const n = next++;
    const names = shardNames(n);
    const firstRank = rank;
    rank += job.length;
    const { docs: sent, transfer } = transferable(job);
    const req = {
      kind: "build" as const,
      bin: join(dir, names.bin),
      ids: join(dir, names.ids),
      docs: sent,
      k,
      w,
    };
    job = [];
    jobChars = 0;
    const p = pool.run<BuildResult>(req, transfer).then(({ heavy: h, distinct, ...r }) => {
      shards[n] = { bin: names.bin, ids: names.ids, ...r, firstRank };
      heavy[n] = h;
      if (filter !== undefined) addHashes(filter, distinct);
      added++;
    });
    inflight.add(p);
    p.finally(() => inflight.delete(p)).catch(() => undefined);
  };
  try {
    for (const [fi, file] of files.entries()) {
      const known = sources.find((s) => s.path === file.path && s.bytes === file.bytes);
      if (known !== undefined && known.sha256 === (await digest(file.path))) {
        skipped.push(file.path);
        bytesRead += file.bytes;
        continue;
      }
      const done = await readFileDocs(file, o, ids, (d) => {
        job.push(d);
        jobChars += docChars(d);
        if (d.base === 0) docs++;
        return jobChars >= shardChars ? flush() : undefined;
      });
      bytesRead += file.bytes;
      sources.push({
        path: file.path,
        name: file.name,
        bytes: file.bytes,
        sha256: done.sha256,
        docs: done.docs,
        ...(o.textField !== undefined ? { textField: o.textField } : {}),
        ...(o.idField !== undefined ? { idField: o.idField } : {}),
      });
      progress(fi + 1);
    }
    await flush();
    await Promise.all(inflight);
  } finally {
    await pool.close();
  }
  const manifest: Manifest = { ...base, updatedAt: new Date().toISOString(), sources, shards };
  await writeHeavy(dir, heavy);
  if (filter !== undefined) await writeFilter(dir, filter);
  await writeManifest(dir, manifest);
  return {
    manifest,
    seconds: (performance.now() - t0) / 1000,
    bytesRead,
    addedDocs: docs,
    addedShards: added,
    skipped,
  };
}
