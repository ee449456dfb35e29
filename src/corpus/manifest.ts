/**
 * `manifest.json` of a corpus index: what was indexed (files, digests, document counts), how (normalisation,
 * k-gram and sampling parameters) and where (shards). Written atomically after every build or add.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError, errorMessage } from "../core/errors.js";
import { writeFileAtomic } from "../core/fs.js";
import { HASH_BASE } from "../match/fingerprint.js";

export const MANIFEST = "manifest.json";
export const INDEX_FORMAT = "memscan-corpus-index";

const count = z.number().int().nonnegative();

export const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  version: z.literal(5),
  memscanVersion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  normalization: z.object({ form: z.literal("text"), steps: z.array(z.string()) }),
  params: z.object({
    k: z.number().int().min(1),
    /** Sampling stride: every w-th k-gram of a document is fingerprinted. */
    w: z.number().int().min(1),
    /** Every common substring at least this long (k + w - 1) contains a fingerprinted k-gram. */
    guarantee: z.number().int().min(1),
    minLength: z.number().int().min(1),
    hash: z.literal("poly32-fmix32"),
    base: z.number().int(),
    sampling: z.literal("stride"),
    shardChars: z.number().int().positive(),
  }),
  sources: z.array(
    z.object({
      path: z.string(),
      name: z.string(),
      bytes: count,
      sha256: z.string(),
      docs: count,
      textField: z.string().optional(),
      idField: z.string().optional(),
    }),
  ),
  shards: z.array(
    z.object({
      bin: z.string(),
      ids: z.string(),
      docs: count,
      units: count,
      postings: count,
      bytes: count,
      firstRank: count,
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;
export type ShardEntry = Manifest["shards"][number];

/** Bytes of a shard decoded in memory: units of 2 bytes, postings of 12 (hash, position, context word). */
export function decodedBytes(s: ShardEntry): number {
  return s.units * 2 + s.postings * 12;
}

/** The normalisation recorded in every manifest (the `text` form of src/match/normalize.ts). */
export const NORMALIZATION = {
  form: "text" as const,
  steps: ["nfkc", "strip-invisible", "fold-homoglyphs", "collapse-whitespace", "case-fold"],
};

/** Fixed parts of the parameters. */
export function hashParams() {
  return { hash: "poly32-fmix32" as const, base: HASH_BASE, sampling: "stride" as const };
}

/** Read and validate `<dir>/manifest.json`. */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `Expected a corpus index at \`${dir}\` (${MANIFEST}), but it could not be read (${errorMessage(err)}); ` +
        "build one with `memscan index build <files> --out <dir>`.",
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(
      `Expected JSON in ${path}, found invalid JSON (${errorMessage(err)}); rebuild the index.`,
      {
        cause: err,
      },
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `Expected a memscan corpus index manifest in ${path}, got ${parsed.error.issues[0]?.path.join(".") ?? "?"}: ` +
        `${parsed.error.issues[0]?.message ?? "invalid"}; rebuild the index with this memscan version.`,
    );
  }
  return parsed.data;
}

/** Write the manifest atomically. */
export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
}
