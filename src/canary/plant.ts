import { existsSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Canary } from "../core/data.js";
import { ConfigError, errorMessage } from "../core/errors.js";
import { writeFileAtomic } from "../core/fs.js";
import { Rng } from "../core/rng.js";
import {
  type Dataset,
  type DatasetFormat,
  type DatasetRecord,
  parseDataset,
  serializeDataset,
} from "./dataset.js";
import { canaryRecord, embedCanary } from "./plant-records.js";

/** Options for {@link plantCanaries}. */
export interface PlantOptions {
  /** Output dataset path (a new file; never the input). */
  readonly out: string;
  /** Dataset format; detected from the first line when omitted. */
  readonly format?: DatasetFormat;
  /** `records` (default): each copy is a new record; `embed`: appended to distinct existing records. */
  readonly mode?: "records" | "embed";
  /** Seed for positions (default 0). */
  readonly seed?: number;
  /** Planting log path (default `<out>.plant-log.jsonl`). */
  readonly logPath?: string;
  /** Replace an existing `out` (default false: refuse). */
  readonly overwrite?: boolean;
}

/** One planted copy, as written to the planting log (JSONL). */
export interface PlantLogEntry {
  readonly canaryId: string;
  /** 0-based copy number of this canary. */
  readonly copy: number;
  /** 0-based index of the record that holds it in the output dataset. */
  readonly record: number;
  readonly mode: "records" | "embed";
}

/** What {@link plantCanaries} wrote. */
export interface PlantResult {
  readonly out: string;
  readonly logPath: string;
  readonly format: DatasetFormat;
  /** Records in the output dataset. */
  readonly records: number;
  readonly log: readonly PlantLogEntry[];
}

/**
 * Plant each canary `insertCount` times (controls: never) into a copy of a fine-tuning dataset, at
 * seeded positions, and write a planting log. The output and the log are written atomically.
 *
 * @throws ConfigError when the dataset cannot be parsed (which line, why), `out` is the input or
 *   already exists, or embed mode needs more records than the dataset has.
 * @example await plantCanaries("train.jsonl", canaries, { out: "train.planted.jsonl", seed: 1 })
 */
export async function plantCanaries(
  datasetPath: string,
  canaries: readonly Canary[],
  options: PlantOptions,
): Promise<PlantResult> {
  const { mode = "records", seed = 0, overwrite = false } = options;
  const out = resolve(options.out);
  const logPath = resolve(options.logPath ?? `${options.out}.plant-log.jsonl`);
  const input = resolve(datasetPath);
  const same = (p: string): boolean =>
    p === input || (existsSync(p) && realpathSync(p) === realpathSync(input));
  if (existsSync(input) && (same(out) || same(logPath))) {
    throw new ConfigError(
      `Expected \`out\` and the log to be new files, got the input dataset ${datasetPath}; choose another path`,
    );
  }
  if (!overwrite && existsSync(out)) {
    throw new ConfigError(
      `Expected \`out\` not to exist, got existing ${options.out}; remove it or pass overwrite`,
    );
  }
  let text: string;
  try {
    text = await readFile(input, "utf8");
  } catch (err) {
    throw new ConfigError(`Expected a readable dataset at ${datasetPath}, got: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const ds = parseDataset(text, datasetPath, options.format);
  const copies = plantedCopies(canaries);
  const rng = new Rng(seed, "canary/plant");
  const { records, log } = mode === "embed" ? embed(ds, copies, rng) : insert(ds, copies, rng);
  await writeFileAtomic(out, serializeDataset({ ...ds, records }));
  await writeFileAtomic(logPath, log.map((e) => JSON.stringify(e)).join("\n") + (log.length ? "\n" : ""));
  return { out, logPath, format: ds.format, records: records.length, log };
}

interface Copy {
  readonly canary: Canary;
  readonly copy: number;
}

function plantedCopies(canaries: readonly Canary[]): Copy[] {
  const ids = new Set<string>();
  const copies: Copy[] = [];
  for (const c of canaries) {
    if (ids.has(c.id))
      throw new ConfigError(`Expected unique canary ids, got "${c.id}" twice; fix the manifest`);
    ids.add(c.id);
    if (c.control) continue;
    for (let k = 0; k < c.insertCount; k++) copies.push({ canary: c, copy: k });
  }
  return copies;
}

type Planted = { records: DatasetRecord[]; log: PlantLogEntry[] };

function insert(ds: Dataset, copies: Copy[], rng: Rng): Planted {
  const n = ds.records.length;
  const slots = rng.shuffle(copies).map((c) => ({ c, slot: rng.int(n + 1) }));
  slots.sort((a, b) => a.slot - b.slot); // stable: ties keep their shuffled order
  const records: DatasetRecord[] = [];
  const log: PlantLogEntry[] = [];
  let next = 0;
  for (let i = 0; i <= n; i++) {
    while (next < slots.length && slots[next]!.slot === i) {
      const { c } = slots[next++]!;
      log.push({ canaryId: c.canary.id, copy: c.copy, record: records.length, mode: "records" });
      records.push(canaryRecord(ds, c.canary));
    }
    if (i < n) records.push(ds.records[i]!);
  }
  return { records, log };
}

function embed(ds: Dataset, copies: Copy[], rng: Rng): Planted {
  const n = ds.records.length;
  if (copies.length > n) {
    throw new ConfigError(
      `Expected at least ${copies.length} records to embed ${copies.length} canary copies in distinct records, got ${n}; use mode "records" or a larger dataset`,
    );
  }
  const targets = rng.sample(
    Array.from({ length: n }, (_, i) => i),
    copies.length,
  );
  const records = ds.records.slice();
  const log: PlantLogEntry[] = copies.map((c, k) => {
    const record = targets[k]!;
    records[record] = embedCanary(ds, records[record]!, c.canary);
    return { canaryId: c.canary.id, copy: c.copy, record, mode: "embed" as const };
  });
  log.sort((a, b) => a.record - b.record);
  return { records, log };
}
