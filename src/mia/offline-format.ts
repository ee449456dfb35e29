import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";
import { describeIssues } from "../core/config-issues.js";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { ScoredText, TokenLogprob } from "../core/types.js";
import type { MiaScoreEvent } from "../report/events.js";
import { readEvents } from "../report/read.js";
import type { AttackInput } from "./types.js";

/**
 * The two offline JSONL formats of `memscan mia` (documented in README.md, "Offline MIA formats"):
 *
 * - a **logprobs file**, one record per line: per-token log-probabilities of a text (and optionally of its
 *   reference-model score, its lowercased copy and perturbed copies). `memscan mia score` reads it;
 *   `memscan mia --save-logprobs` writes it with `logprobsLine`.
 * - a **scores file**, one record per line: attack id → score. `memscan mia score` writes it with
 *   `scoresLine`; `memscan mia metrics` reads it (or a run folder's `mia.score` events).
 *
 * The tokens listed are the scored ones: the first token of the text has no context, hence no
 * log-probability, and is already left out. `logprob: null` marks a censored token (left out of every mean).
 */

/** Labels of a membership-inference record. */
export const MIA_LABELS = ["member", "non-member"] as const;
export type MiaLabel = (typeof MIA_LABELS)[number];

/** Scoring path of records whose line names none. */
export const OFFLINE_PATH = "offline";

/** Log-probabilities up to this (float rounding above 0) are accepted. */
const MAX_LOGPROB = 1e-6;

const logprob = z.number().refine((v) => v <= MAX_LOGPROB, {
  message: "expected a log-probability ≤ 0 (a loss or NLL? negate it)",
});
const labelSchema = z.enum(MIA_LABELS);

const tokenSchema = z.strictObject({
  token: z.string(),
  logprob: logprob.nullable(),
  /** Upper bound on a censored token's logprob (a top-k list without it). */
  bound: logprob.optional(),
  offset: z.number().int().nonnegative().optional(),
  bytes: z.array(z.number().int().min(0).max(255)).optional(),
  top: z.array(z.strictObject({ token: z.string(), logprob })).optional(),
  moments: z.strictObject({ mean: z.number(), std: z.number().nonnegative() }).optional(),
});

/** Scores of one text: `tokens` (full form) or `logprobs` (shorthand: numbers only), exactly one of them. */
const scoredSchema = z.strictObject({
  tokens: z.array(tokenSchema).optional(),
  logprobs: z.array(logprob.nullable()).optional(),
  text: z.string().optional(),
  path: z.string().min(1).optional(),
});

const logprobsLineSchema = scoredSchema.extend({
  id: z.string().min(1),
  label: labelSchema.optional(),
  reference: scoredSchema.optional(),
  lowercase: scoredSchema.optional(),
  perturbed: z.array(scoredSchema).optional(),
  referencePerturbed: z.array(scoredSchema).optional(),
});

/** One line of a logprobs file as written (before defaults are filled in). */
export type LogprobsLine = z.infer<typeof logprobsLineSchema>;
type ScoredEntry = z.infer<typeof scoredSchema>;

/** One record of a logprobs file, ready for the attacks. */
export interface LogprobsRecord {
  readonly id: string;
  readonly label?: MiaLabel;
  /** The line's `path`, when it gave one (`input.target.path` is then the same, else `offline`). */
  readonly path?: string;
  /** `file:line` of the record. */
  readonly where: string;
  /** Whether the line gave the text (`input.target.text` is "" otherwise). */
  readonly hasText: boolean;
  readonly input: AttackInput;
}

const scoresLineSchema = z.strictObject({
  id: z.string().min(1),
  label: labelSchema.optional(),
  path: z.string().min(1).optional(),
  scores: z.record(z.string().min(1), z.number().nullable()),
  approximate: z.array(z.string().min(1)).optional(),
});

/** One line of a scores file. */
export type ScoresLine = z.infer<typeof scoresLineSchema>;

/** One record of a scores file (or a run's `mia.score` event). */
export interface ScoresRecord {
  readonly id: string;
  readonly label?: MiaLabel;
  readonly path?: string;
  /** Attack id → score (higher = more likely a member); null when the attack could not score the record. */
  readonly scores: Readonly<Record<string, number | null>>;
  /** Attacks whose score for this record rests on an approximation. */
  readonly approximate: readonly string[];
  /** `file:line` of the record, or `events.jsonl (record <id>)` for a run. */
  readonly where: string;
}

/** What `memscan mia metrics` reads: the records and where they came from. */
export interface ScoresInput {
  /** The file read (a scores file or a run's events.jsonl). */
  readonly source: string;
  readonly kind: "scores" | "events";
  readonly records: readonly ScoresRecord[];
}

const NO_USAGE = { promptTokens: 0, completionTokens: 0 } as const;

function fail(where: string, what: string): never {
  throw new ConfigError(`${where}: ${what}`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail(where, `not JSON (${errorMessage(err)}); expected one JSON object per line`);
  }
}

/** `entry` as a ScoredText; `at` names it in errors (null for the record itself). */
function scoredText(
  entry: ScoredEntry,
  at: string | null,
  where: string,
  text: string,
  path: string,
): ScoredText {
  const of = at === null ? "" : ` in "${at}"`;
  if (entry.tokens !== undefined && entry.logprobs !== undefined)
    fail(where, `give either "tokens" or "logprobs"${of}, not both`);
  const tokens: TokenLogprob[] | undefined =
    entry.tokens ?? entry.logprobs?.map((lp): TokenLogprob => ({ token: "", logprob: lp }));
  if (tokens === undefined)
    fail(
      where,
      `missing "tokens"${of}: expected "tokens" (a list of {"token", "logprob"}) or "logprobs" (a list of numbers or null)`,
    );
  return { text: entry.text ?? text, tokens, path: entry.path ?? path, usage: NO_USAGE };
}

/**
 * One logprobs line (already JSON-parsed) as attack inputs: the record's `text` for the target and the
 * reference, `text.toLowerCase()` for the lowercase copy, "" when the line has no `text` (`hasText` is then
 * false: zlib needs the text, so `memscan mia score` gives it null); `path` from the line or `offline`.
 *
 * @throws ConfigError naming `where` and what to fix
 */
export function parseLogprobsRecord(value: unknown, where: string): LogprobsRecord {
  const parsed = logprobsLineSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) fail(where, describeIssues(parsed.error));
  const line = parsed.data;
  const text = line.text ?? "";
  const path = line.path ?? OFFLINE_PATH;
  const variant = (entry: ScoredEntry, at: string, defaultText: string) =>
    scoredText(entry, at, where, defaultText, path);
  const input: AttackInput = {
    target: scoredText(line, null, where, text, path),
    ...(line.reference ? { reference: variant(line.reference, "reference", text) } : {}),
    ...(line.lowercase ? { lowercase: variant(line.lowercase, "lowercase", text.toLowerCase()) } : {}),
    ...(line.perturbed ? { perturbed: line.perturbed.map((e, i) => variant(e, `perturbed.${i}`, "")) } : {}),
    ...(line.referencePerturbed
      ? {
          referencePerturbed: line.referencePerturbed.map((e, i) =>
            variant(e, `referencePerturbed.${i}`, ""),
          ),
        }
      : {}),
  };
  return {
    id: line.id,
    ...(line.label ? { label: line.label } : {}),
    ...(line.path ? { path: line.path } : {}),
    where,
    hasText: line.text !== undefined,
    input,
  };
}

/** Rejects a second record with the same id and label (ids need only be unique within a label). */
class IdCheck {
  private readonly seen = new Map<string, string>();
  check(id: string, label: MiaLabel | undefined, where: string): void {
    const key = `${label ?? ""}\0${id}`;
    const first = this.seen.get(key);
    if (first !== undefined)
      fail(
        where,
        `duplicate id "${id}"${label ? ` among ${label}s` : ""} (first at ${first}); ids must be unique within a label`,
      );
    this.seen.set(key, where);
  }
}

async function* fileLines(path: string): AsyncGenerator<string> {
  await checkReadable(path, "a JSONL file");
  const rl = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    yield* rl;
  } catch (err) {
    throw new ConfigError(`Cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  } finally {
    rl.close();
  }
}

async function checkReadable(path: string, what: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (err) {
    throw new ConfigError(`Cannot read ${path} (${errorMessage(err)}); expected ${what}`, { cause: err });
  }
  if (!isFile) throw new ConfigError(`Expected ${what}, got ${path}, which is not a file`);
}

/** Line `n` (1-based) JSON-parsed, or null when blank (a UTF-8 BOM on the first line is ignored). */
function jsonLine(raw: string, n: number, source: string): { value: unknown; where: string } | null {
  const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
  if (line.trim() === "") return null;
  const where = `${source}:${n}`;
  return { value: parseJson(line, where), where };
}

function syncJsonl(text: string, source: string): { value: unknown; where: string }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => jsonLine(raw, i + 1, source))
    .filter((l) => l !== null);
}

/**
 * Parse a logprobs file's text (blank lines skipped).
 *
 * @example parseLogprobsJsonl('{"id":"m-1","label":"member","logprobs":[-0.5,-1.5]}')[0].input.target.tokens.length // 2
 * @throws ConfigError naming `source:line` (bad JSON, missing tokens, unknown label, duplicate id)
 */
export function parseLogprobsJsonl(text: string, source = "<input>"): LogprobsRecord[] {
  const ids = new IdCheck();
  return syncJsonl(text, source).map(({ value, where }) => {
    const r = parseLogprobsRecord(value, where);
    ids.check(r.id, r.label, where);
    return r;
  });
}

/**
 * Stream a logprobs file, one record at a time (checked like `parseLogprobsJsonl`).
 *
 * @throws ConfigError when the file cannot be read or a line is bad
 */
export async function* readLogprobsFile(path: string): AsyncGenerator<LogprobsRecord> {
  const ids = new IdCheck();
  let n = 0;
  for await (const raw of fileLines(path)) {
    const l = jsonLine(raw, ++n, path);
    if (l === null) continue;
    const r = parseLogprobsRecord(l.value, l.where);
    ids.check(r.id, r.label, l.where);
    yield r;
  }
}

function tokenJson(t: TokenLogprob): Record<string, unknown> {
  return {
    token: t.token,
    // JSON has no NaN or ±Infinity: a non-finite logprob is written as censored.
    logprob: t.logprob !== null && Number.isFinite(t.logprob) ? t.logprob : null,
    ...(t.bound !== undefined && Number.isFinite(t.bound) ? { bound: t.bound } : {}),
    ...(t.offset !== undefined ? { offset: t.offset } : {}),
    ...(t.bytes !== undefined ? { bytes: t.bytes } : {}),
    ...(t.top !== undefined ? { top: t.top.map((x) => ({ token: x.token, logprob: x.logprob })) } : {}),
    ...(t.moments !== undefined ? { moments: { mean: t.moments.mean, std: t.moments.std } } : {}),
  };
}

function scoredJson(s: ScoredText, text: string, path: string): Record<string, unknown> {
  const short = s.tokens.every(
    (t) =>
      t.token === "" && t.offset === undefined && t.bound === undefined && !t.bytes && !t.top && !t.moments,
  );
  return {
    ...(s.text !== text ? { text: s.text } : {}),
    ...(s.path !== path ? { path: s.path } : {}),
    ...(short && s.tokens.length > 0
      ? { logprobs: s.tokens.map((t) => tokenJson(t).logprob) }
      : { tokens: s.tokens.map(tokenJson) }),
  };
}

/** What `logprobsLine` writes: a record's id and label and the scores of its text (and variants). */
export interface LogprobsEntry {
  readonly id: string;
  readonly label?: MiaLabel;
  readonly input: AttackInput;
  /** Leave the text out (zlib then cannot score the record offline). Default false. */
  readonly omitText?: boolean;
}

/**
 * One line of a logprobs file (no trailing newline) that `readLogprobsFile` reads back into the same
 * `AttackInput` (usage aside). Texts and paths of the variants are written only when they differ from what
 * the reader fills in; tokens with nothing but a logprob use the `logprobs` shorthand.
 *
 * @example logprobsLine({ id: "m-1", label: "member", input: { target } })
 */
export function logprobsLine(entry: LogprobsEntry): string {
  const { target, reference, lowercase, perturbed, referencePerturbed } = entry.input;
  const text = entry.omitText ? "" : target.text;
  const path = target.path;
  const variant = (s: ScoredText, defaultText: string) => scoredJson(s, defaultText, path);
  const line = {
    id: entry.id,
    ...(entry.label ? { label: entry.label } : {}),
    ...(text !== "" ? { text } : {}),
    ...(path !== OFFLINE_PATH ? { path } : {}),
    ...scoredJson({ ...target, text, path }, text, path),
    ...(reference ? { reference: variant(reference, text) } : {}),
    ...(lowercase ? { lowercase: variant(lowercase, text.toLowerCase()) } : {}),
    ...(perturbed ? { perturbed: perturbed.map((p) => variant(p, "")) } : {}),
    ...(referencePerturbed ? { referencePerturbed: referencePerturbed.map((p) => variant(p, "")) } : {}),
  };
  return JSON.stringify(line);
}

/** One line of a scores file (no trailing newline). Non-finite scores are written as null. */
export function scoresLine(line: ScoresLine): string {
  const scores = Object.fromEntries(
    Object.entries(line.scores).map(([k, v]) => [k, v !== null && Number.isFinite(v) ? v : null]),
  );
  return JSON.stringify({
    id: line.id,
    ...(line.label ? { label: line.label } : {}),
    ...(line.path ? { path: line.path } : {}),
    scores,
    ...(line.approximate?.length ? { approximate: line.approximate } : {}),
  });
}

/** One scores line (already JSON-parsed). @throws ConfigError naming `where` */
export function parseScoresRecord(value: unknown, where: string): ScoresRecord {
  const parsed = scoresLineSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) fail(where, describeIssues(parsed.error));
  const l = parsed.data;
  return {
    id: l.id,
    ...(l.label ? { label: l.label } : {}),
    ...(l.path ? { path: l.path } : {}),
    scores: l.scores,
    approximate: l.approximate ?? [],
    where,
  };
}

/**
 * Parse a scores file's text (blank lines skipped).
 *
 * @throws ConfigError naming `source:line` (bad JSON, missing scores, unknown label, duplicate id)
 */
export function parseScoresJsonl(text: string, source = "<input>"): ScoresRecord[] {
  const ids = new IdCheck();
  return syncJsonl(text, source).map(({ value, where }) => {
    const r = parseScoresRecord(value, where);
    ids.check(r.id, r.label, where);
    return r;
  });
}

function looksLikeEvents(text: string): boolean {
  const first = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .find((l) => l.trim() !== "");
  if (first === undefined) return false;
  try {
    const v = JSON.parse(first) as unknown;
    return typeof v === "object" && v !== null && "v" in v && "type" in v && !("scores" in v);
  } catch {
    return false;
  }
}

/**
 * Records of a run's `mia.score` events: the last event per (label, record) wins (a resumed run may repeat
 * them, see src/report/mia-view.ts); attacks whose last `mia.result` is approximate are marked so.
 */
export async function readRunScores(run: string, source: string): Promise<ScoresInput> {
  const events = await readEvents(run);
  const scores = new Map<string, MiaScoreEvent>();
  const approximate = new Map<string, boolean>();
  for (const ev of events) {
    if (ev.type === "mia.score") scores.set(`${ev.label}\0${ev.record}`, ev);
    else if (ev.type === "mia.result") approximate.set(ev.attack, ev.approximate);
  }
  if (scores.size === 0)
    throw new ConfigError(
      `Expected mia.score events in ${source}, found none; it is not a \`memscan mia\` run (or no record finished)`,
    );
  const approx = [...approximate].filter(([, a]) => a).map(([id]) => id);
  const records = [...scores.values()].map(
    (ev): ScoresRecord => ({
      id: ev.record,
      label: ev.label,
      path: ev.path,
      scores: ev.scores,
      approximate: approx.filter((id) => id in ev.scores),
      where: `${source} (record ${ev.record})`,
    }),
  );
  return { source, kind: "events", records };
}

/**
 * Read what `memscan mia metrics` accepts: a scores file, a memscan run folder, or a run's events.jsonl
 * (recognised by its first line). An empty input is an error.
 *
 * @throws ConfigError naming the file (and line) and what to fix
 */
export async function readScoresInput(path: string): Promise<ScoresInput> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new ConfigError(
      `Cannot read ${path} (${errorMessage(err)}); expected a scores file (memscan mia score) or a memscan run folder`,
      { cause: err },
    );
  }
  if (isDir) return readRunScores(path, `${path}/events.jsonl`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`Cannot read ${path} (${errorMessage(err)})`, { cause: err });
  }
  if (looksLikeEvents(text)) return readRunScores(path, path);
  const records = parseScoresJsonl(text, path);
  if (records.length === 0)
    throw new ConfigError(
      `Expected scores records in ${path}, found none; write them with memscan mia score`,
    );
  return { source: path, kind: "scores", records };
}
