import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "./errors.js";

/**
 * The `mia:` section of a config file (and `memscan mia` flags): membership inference over member and
 * non-member texts, after the probes. Validated here, once; the stage gets a resolved `MiaPlan`.
 */

const positiveInt = z.number().int().positive();

export const MIA_PATHS = ["auto", "prompt", "teacher-forced", "samia"] as const;
export type MiaPathChoice = (typeof MIA_PATHS)[number];

export const miaConfigSchema = z.strictObject({
  /** JSONL (a `text` field per line) or text files the model was trained on. */
  members: z.union([z.string().min(1), z.array(z.string().min(1))]),
  /** Held-out texts from the same distribution. */
  nonMembers: z.union([z.string().min(1), z.array(z.string().min(1))]),
  /** Attack ids (see `memscan list`); default the set that works without extra models. */
  attacks: z.array(z.string().min(1)).optional(),
  /** Min-K% / Min-K%++ fraction. Default 0.2. */
  k: z.number().gt(0).max(1).optional(),
  /** How to score: `auto` picks prompt logprobs, else teacher-forced top-k, else sampling (SaMIA). */
  path: z.enum(MIA_PATHS).optional(),
  /** Perturbed copies per text for the neighbour / pv / spv attacks (0 = those attacks are off). Default 0. */
  perturbations: z.number().int().min(0).max(100).optional(),
  /** Top-k alternatives asked per position (teacher-forced fallback; Min-K%++ over HTTP). Default 5. */
  topLogprobs: z.number().int().min(1).max(20).optional(),
  /** Sampled continuations per text (SaMIA path). Default 5. */
  samples: positiveInt.max(100).optional(),
  /** Score at most this many records of each label (first ones in file order). */
  maxRecords: positiveInt.optional(),
  /** Bootstrap resamples for the intervals. Default 1000. */
  resamples: z.number().int().min(0).max(100_000).optional(),
  /** TPR@α is refused below ceil(factor/α) non-members. Default 10. */
  minNonMembersFactor: z.number().positive().optional(),
});
export type MiaConfig = z.infer<typeof miaConfigSchema>;

/** A resolved MIA section: absolute paths, every default filled in. */
export interface MiaPlan {
  readonly members: readonly string[];
  readonly nonMembers: readonly string[];
  /** Empty: the default set for the chosen path and the targets given. */
  readonly attacks: readonly string[];
  readonly k: number;
  readonly path: MiaPathChoice;
  readonly perturbations: number;
  readonly topLogprobs: number;
  readonly samples: number;
  readonly maxRecords?: number;
  readonly resamples: number;
  readonly minNonMembersFactor: number;
}

/** `memscan mia` flags that override the `mia:` section. */
export interface MiaFlags {
  members?: string[];
  nonMembers?: string[];
  attacks?: string[];
  k?: number;
  path?: MiaPathChoice;
  perturbations?: number;
  topLogprobs?: number;
  samples?: number;
  maxRecords?: number;
  resamples?: number;
  minNonMembersFactor?: number;
}

/** The flags that override `mia:` settings (members and non-members are resolved separately). */
const MIA_FLAG_KEYS = [
  "attacks",
  "k",
  "path",
  "perturbations",
  "topLogprobs",
  "samples",
  "maxRecords",
  "resamples",
  "minNonMembersFactor",
] as const satisfies readonly (keyof MiaFlags)[];

const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

/**
 * Merge a `mia:` section (paths relative to `baseDir`) and flags (paths relative to the working
 * directory). Undefined when neither names members. Flags are validated with the section's schema.
 *
 * @throws ConfigError when members are given without non-members (or the reverse), or a value is out of range.
 */
export function resolveMiaPlan(
  section: MiaConfig | undefined,
  flags: MiaFlags,
  baseDir: string,
  defaults?: { members: readonly string[]; nonMembers: readonly string[] },
): MiaPlan | undefined {
  const abs = (dir: string) => (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const members = flags.members?.length
    ? flags.members.map(abs(process.cwd()))
    : list(section?.members).map(abs(baseDir));
  const nonMembers = flags.nonMembers?.length
    ? flags.nonMembers.map(abs(process.cwd()))
    : list(section?.nonMembers).map(abs(baseDir));
  if (members.length === 0 && nonMembers.length === 0) {
    if (!defaults) return undefined;
    members.push(...defaults.members);
    nonMembers.push(...defaults.nonMembers);
  }
  if (members.length === 0 || nonMembers.length === 0) {
    throw new ConfigError(
      `Expected both members and non-members for membership inference, got only ${members.length ? "members" : "non-members"}; pass --members <file> and --non-members <file> (JSONL with a "text" field)`,
    );
  }
  const { members: _m, nonMembers: _n, ...fromFile } = section ?? {};
  const overrides: Record<string, unknown> = Object.fromEntries(
    MIA_FLAG_KEYS.map((key) => [key, flags[key]] as const).filter(([, v]) => v !== undefined),
  );
  // `--attacks loss,min-k --attacks zlib` → ["loss", "min-k", "zlib"]
  if (flags.attacks)
    overrides.attacks = flags.attacks
      .flatMap((a) => String(a).split(","))
      .filter((a) => a.trim() !== "")
      .map((a) => a.trim());
  const merged = miaConfigSchema
    .omit({ members: true, nonMembers: true })
    .safeParse({ ...fromFile, ...overrides });
  if (!merged.success) {
    const first = merged.error.issues[0]!;
    throw new ConfigError(
      `Invalid MIA setting ${first.path.join(".") || "(top level)"}: ${first.message}. See \`memscan mia --help\`.`,
    );
  }
  const c = merged.data;
  return {
    members,
    nonMembers,
    attacks: c.attacks ?? [],
    k: c.k ?? 0.2,
    path: c.path ?? "auto",
    perturbations: c.perturbations ?? 0,
    topLogprobs: c.topLogprobs ?? 5,
    samples: c.samples ?? 5,
    ...(c.maxRecords !== undefined ? { maxRecords: c.maxRecords } : {}),
    resamples: c.resamples ?? 1000,
    minNonMembersFactor: c.minNonMembersFactor ?? 10,
  };
}
