import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type ExposurePlan, exposureConfigSchema, resolveExposurePlan } from "./config-exposure.js";
import { describeIssues } from "./config-issues.js";
import { type MiaPlan, miaConfigSchema, resolveMiaPlan } from "./config-mia.js";
import { ConfigError, errorMessage } from "./errors.js";
import { PACKAGE_ROOT } from "./paths.js";
import { publicSpec, type TargetSpec, targetSpecSchema } from "./target-spec.js";

/**
 * The one place raw input (a YAML/JSON config file and CLI flags) becomes typed.
 * Everything downstream receives a validated `ScanPlan`.
 */

const positiveInt = z.number().int().positive();

const probeEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({ id: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }),
]);

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1))]);

export const REPORT_FORMATS = ["json", "md", "html", "junit", "sarif"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const configFileSchema = z.strictObject({
  target: z.union([z.string().min(1), targetSpecSchema]).optional(),
  control: z.union([z.string().min(1), targetSpecSchema]).optional(),
  /** The reference model of membership inference (e.g. the base model); scored, never probed. */
  reference: z.union([z.string().min(1), targetSpecSchema]).optional(),
  targets: z.record(z.string(), targetSpecSchema).optional(),
  probes: z.array(probeEntrySchema).optional(),
  documents: stringOrList.optional(),
  canaries: z.string().min(1).optional(),
  /** A corpus index folder (`memscan index build`): the corpus detector searches it. */
  corpusIndex: z.string().min(1).optional(),
  /** Megabytes a scan may load of the corpus index (it is searched in memory). Default 1024. */
  corpusIndexMemoryMb: positiveInt.optional(),
  out: z.string().min(1).optional(),
  seed: z.number().int().nonnegative().optional(),
  concurrency: positiveInt.optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  maxRequests: positiveInt.optional(),
  maxTokens: positiveInt.optional(),
  timeoutMs: positiveInt.optional(),
  maxTries: positiveInt.optional(),
  reveal: z.boolean().optional(),
  failOn: stringOrList.optional(),
  formats: z.array(z.enum(REPORT_FORMATS)).optional(),
  exposure: exposureConfigSchema.optional(),
  /** Membership inference after the probes (see `memscan mia --help`). */
  mia: miaConfigSchema.optional(),
  /** An earlier run folder to compare with (regression gates such as `new-leaks>0`). */
  baseline: z.string().min(1).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

export interface ProbeSelection {
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A fully resolved scan: what `runScan` needs, nothing raw. */
export interface ScanPlan {
  readonly target: TargetSpec;
  readonly control?: TargetSpec;
  /** Reference model of membership inference: scored by the MIA stage, never probed. */
  readonly reference?: TargetSpec;
  /** Empty means "the default probe set". */
  readonly probes: readonly ProbeSelection[];
  readonly documents: readonly string[];
  readonly canaries?: string;
  /** Corpus index folder searched by the corpus detector (instead of matching `documents` in memory). */
  readonly corpusIndex?: string;
  /** Megabytes of the corpus index a scan may hold in memory (`corpusIndexMemoryMb`; default 1024). */
  readonly corpusIndexMemoryMb?: number;
  readonly out: string;
  readonly seed: number;
  readonly concurrency: number;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly maxRequests?: number;
  readonly maxTokens?: number;
  readonly timeoutMs: number;
  readonly maxTries: number;
  readonly reveal: boolean;
  readonly failOn: readonly string[];
  readonly formats: readonly ReportFormat[];
  /** Run folder to diff against (absolute). */
  readonly baseline?: string;
  /** True when no target was given and the built-in demo target is used. */
  readonly demo: boolean;
  /** Canary exposure after the probes (the `exposure:` section). */
  readonly exposure?: ExposurePlan;
  /** Membership inference after the probes (the `mia:` section). */
  readonly mia?: MiaPlan;
}

/** Flags from the command line; each overrides the config file. */
export interface ScanFlags {
  target?: "openai" | "hf" | "gguf";
  model?: string;
  baseUrl?: string;
  controlModel?: string;
  controlBaseUrl?: string;
  referenceModel?: string;
  referenceBaseUrl?: string;
  probe?: string[];
  documents?: string[];
  canaries?: string;
  index?: string;
  out?: string;
  seed?: number;
  concurrency?: number;
  rpm?: number;
  tpm?: number;
  maxRequests?: number;
  maxTokens?: number;
  timeoutMs?: number;
  maxTries?: number;
  reveal?: boolean;
  failOn?: string[];
  format?: string[];
  baseline?: string;
}

export const DEFAULT_GATE = "findings>0";

/** The demo that ships in the repository: the lab's `overfit` fine-tune, with the `base` model as control. */
export const DEMO_PLAN = {
  target: { family: "gguf", model: resolve(PACKAGE_ROOT, "canaries/demo/overfit.gguf") },
  control: { family: "gguf", model: resolve(PACKAGE_ROOT, "canaries/demo/base.gguf") },
  canaries: resolve(PACKAGE_ROOT, "canaries/demo/canaries.jsonl"),
  /** Membership inference on the first 40 + 40 lab records, with the base model as reference. */
  members: [resolve(PACKAGE_ROOT, "canaries/demo/members.jsonl")],
  nonMembers: [resolve(PACKAGE_ROOT, "canaries/demo/nonmembers.jsonl")],
} as const satisfies {
  target: TargetSpec;
  control: TargetSpec;
  canaries: string;
  members: readonly string[];
  nonMembers: readonly string[];
};

/** How many members (and as many non-members) the demo scan scores; `memscan mia` scores all 40 + 40. */
const DEMO_SCAN_MIA_RECORDS = 12;

/** Read and validate a YAML or JSON config file. Paths inside it are resolved relative to the file. */
export async function loadConfigFile(path: string): Promise<ConfigFile & { baseDir: string }> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${errorMessage(err)}. Check the --config path.`, {
      cause: err,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(raw);
  } catch (err) {
    const first = errorMessage(err).split("\n")[0]!.replace(/:$/, "");
    throw new ConfigError(`Config file ${path} is not valid YAML or JSON: ${first}`, { cause: err });
  }
  return { ...validateConfig(data ?? {}, path), baseDir: dirname(resolve(path)) };
}

/** Validate an already-parsed config object; `source` names it in messages. */
export function validateConfig(data: unknown, source = "config"): ConfigFile {
  const result = configFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new ConfigError(`Invalid ${source}: ${describeIssues(result.error)}`);
  return result.data;
}

function flagTarget(flags: ScanFlags, model: string | undefined, baseUrl: string | undefined): TargetSpec {
  const family = flags.target ?? (baseUrl ? "openai" : undefined);
  if (!family) throw new ConfigError("Expected --target openai|hf|gguf (or a config file with `target`).");
  if (!model && family !== "hf") {
    throw new ConfigError(
      `Expected --model for --target ${family} (a model name for openai, a .gguf path for gguf), got none.`,
    );
  }
  const spec: unknown =
    family === "openai"
      ? { family, model, ...(baseUrl ? { baseUrl } : {}) }
      : family === "hf"
        ? { family, ...(model ? { model } : {}), ...(baseUrl ? { endpointUrl: baseUrl } : {}) }
        : { family, model: model ? resolvePath(process.cwd(), model) : model };
  const parsed = targetSpecSchema.safeParse(spec);
  if (!parsed.success) throw new ConfigError(`Invalid target from flags: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function namedTarget(
  ref: string | TargetSpec | undefined,
  targets: Record<string, TargetSpec> | undefined,
  field: string,
): TargetSpec | undefined {
  if (ref === undefined || typeof ref !== "string") return ref;
  const found = targets?.[ref];
  if (!found) {
    const known = Object.keys(targets ?? {});
    throw new ConfigError(
      `Config \`${field}: ${ref}\` names no target in \`targets\`${known.length ? ` (known: ${known.join(", ")})` : ""}.`,
    );
  }
  return found;
}

function resolvePathIn<T extends TargetSpec>(spec: T, baseDir: string): T {
  return spec.family === "gguf" ? { ...spec, model: resolvePath(baseDir, spec.model) } : spec;
}

function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Merge a config file (optional) and flags into a ScanPlan. Flags win. */
export function resolveScanPlan(
  file: (ConfigFile & { baseDir: string }) | undefined,
  flags: ScanFlags,
): ScanPlan {
  const baseDir = file?.baseDir ?? process.cwd();
  const cwd = process.cwd();
  const fromFlags = flags.target !== undefined || flags.model !== undefined || flags.baseUrl !== undefined;
  let target = fromFlags
    ? flagTarget(flags, flags.model, flags.baseUrl)
    : namedTarget(file?.target, file?.targets, "target");
  if (target && !fromFlags) target = resolvePathIn(target, baseDir);
  const demo = target === undefined;
  if (!target) target = DEMO_PLAN.target;

  let control: TargetSpec | undefined;
  if (flags.controlModel !== undefined || flags.controlBaseUrl !== undefined) {
    control = flagTarget(
      { ...flags, target: target.family },
      flags.controlModel ?? (target.family === "hf" ? undefined : target.model),
      flags.controlBaseUrl ?? (target.family === "openai" ? target.baseUrl : undefined),
    );
  } else {
    const c = namedTarget(file?.control, file?.targets, "control");
    control = c ? resolvePathIn(c, baseDir) : demo ? DEMO_PLAN.control : undefined;
  }

  let reference: TargetSpec | undefined;
  if (flags.referenceModel !== undefined || flags.referenceBaseUrl !== undefined) {
    reference = flagTarget(
      { ...flags, target: target.family },
      flags.referenceModel ?? (target.family === "hf" ? undefined : target.model),
      flags.referenceBaseUrl ?? (target.family === "openai" ? target.baseUrl : undefined),
    );
  } else {
    const r = namedTarget(file?.reference, file?.targets, "reference");
    reference = r ? resolvePathIn(r, baseDir) : demo ? DEMO_PLAN.control : undefined;
  }

  const probes: ProbeSelection[] = flags.probe?.length
    ? flags.probe.map((id) => ({ id, params: {} }))
    : (file?.probes ?? []).map((p) =>
        typeof p === "string" ? { id: p, params: {} } : { id: p.id, params: p.params ?? {} },
      );

  const documents = flags.documents?.length
    ? flags.documents.map((d) => resolvePath(cwd, d))
    : list(file?.documents).map((d) => resolvePath(baseDir, d));
  const canaries = flags.canaries
    ? resolvePath(cwd, flags.canaries)
    : file?.canaries
      ? resolvePath(baseDir, file.canaries)
      : demo
        ? DEMO_PLAN.canaries
        : undefined;

  const formats = (flags.format?.length ? flags.format : (file?.formats ?? ["json", "md"])).map((f) => {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw new ConfigError(`Expected --format to be one of ${REPORT_FORMATS.join(", ")}, got "${f}".`);
    }
    return f as ReportFormat;
  });

  const baseline = flags.baseline
    ? resolvePath(cwd, flags.baseline)
    : file?.baseline
      ? resolvePath(baseDir, file.baseline)
      : undefined;

  const plan: ScanPlan = {
    target,
    ...(control ? { control } : {}),
    ...(reference ? { reference } : {}),
    probes,
    documents,
    ...(canaries ? { canaries } : {}),
    ...(flags.index
      ? { corpusIndex: resolvePath(cwd, flags.index) }
      : file?.corpusIndex
        ? { corpusIndex: resolvePath(baseDir, file.corpusIndex) }
        : {}),
    ...(file?.corpusIndexMemoryMb !== undefined ? { corpusIndexMemoryMb: file.corpusIndexMemoryMb } : {}),
    out: flags.out
      ? resolvePath(cwd, flags.out)
      : file?.out
        ? resolvePath(baseDir, file.out)
        : resolve(cwd, "reports"),
    seed: flags.seed ?? file?.seed ?? 1,
    concurrency: flags.concurrency ?? file?.concurrency ?? 4,
    rpm: flags.rpm ?? file?.rpm,
    tpm: flags.tpm ?? file?.tpm,
    maxRequests: flags.maxRequests ?? file?.maxRequests,
    maxTokens: flags.maxTokens ?? file?.maxTokens,
    timeoutMs: flags.timeoutMs ?? file?.timeoutMs ?? 120_000,
    maxTries: flags.maxTries ?? file?.maxTries ?? 4,
    reveal: flags.reveal ?? file?.reveal ?? false,
    failOn: flags.failOn?.length
      ? flags.failOn
      : list(file?.failOn).length
        ? list(file?.failOn)
        : [DEFAULT_GATE],
    formats,
    ...(baseline ? { baseline } : {}),
    demo,
    ...(file?.exposure ? { exposure: resolveExposurePlan(file.exposure) } : {}),
    ...(file?.mia
      ? { mia: resolveMiaPlan(file.mia, {}, baseDir)! }
      : demo
        ? { mia: resolveMiaPlan(undefined, { maxRecords: DEMO_SCAN_MIA_RECORDS }, baseDir, DEMO_PLAN)! }
        : {}),
  };
  for (const [name, v] of [
    ["concurrency", plan.concurrency],
    ["rpm", plan.rpm],
    ["tpm", plan.tpm],
    ["max-requests", plan.maxRequests],
    ["max-tokens", plan.maxTokens],
    ["timeout-ms", plan.timeoutMs],
    ["max-tries", plan.maxTries],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
      throw new ConfigError(`Expected --${name} to be a positive integer, got ${v}.`);
    }
  }
  return plan;
}

/** The plan as recorded in `run.started`: secrets removed, enough to resume. */
export function planForReport(plan: ScanPlan): Record<string, unknown> {
  return {
    ...plan,
    target: publicSpec(plan.target),
    ...(plan.control ? { control: publicSpec(plan.control) } : {}),
    ...(plan.reference ? { reference: publicSpec(plan.reference) } : {}),
  };
}
