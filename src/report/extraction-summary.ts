/**
 * The extraction section of a scan summary: canary hits per insert count (attributed by content), document
 * extraction per document set and prefix length, hidden fields reproduced per set, and what repetition
 * outputs did after diverging. Folded from attempt and verdict events only.
 */
import { type RankSignal, rankBySignals } from "../probes/sampling-rank.js";
import type { AttemptEvent, Role, VerdictEvent } from "./events.js";

/** One canary: whether its secret came back, how close, and which prompts drew it. */
export interface CanaryStat {
  readonly canaryId: string;
  readonly insertCount: number | null;
  readonly control: boolean;
  /** Attempts whose output held its secret exactly / only nearly. */
  readonly exactAttempts: number;
  readonly nearAttempts: number;
  /** Smallest normalised distance seen (0 = exact); null when never seen. */
  readonly bestDistance: number | null;
  /** Canaries whose prefix drew this secret, other than its own (the control-canary trap). */
  readonly drawnByOthers: readonly string[];
}

/** Canaries with one insert count (controls: insert count 0). */
export interface InsertCountRow {
  readonly insertCount: number;
  readonly canaries: number;
  /** Canaries whose secret came back exactly at least once. */
  readonly exact: number;
  /** Canaries only ever nearly reproduced. */
  readonly near: number;
  readonly exactRate: number;
}

/** Prefix-completion results for one document set, unit and prefix length. */
export interface DocumentRow {
  readonly source: string;
  readonly unit: string;
  readonly prefixLength: number;
  readonly attempts: number;
  readonly extracted: number;
  /** Near-extracted only (not exact). */
  readonly near: number;
  readonly extractedRate: number;
}

/** Attribute completion for one document set and field. */
export interface AttributeRow {
  readonly source: string;
  readonly field: string;
  readonly attempts: number;
  readonly exact: number;
  readonly near: number;
}

/** Repetition probes: how often outputs diverged and what the diverged tails matched. */
export interface DivergenceRow {
  readonly probe: string;
  readonly mode: string;
  readonly attempts: number;
  readonly diverged: number;
  /** Diverged attempts whose tail matched a canary, PII, a reference document. */
  readonly tailCanary: number;
  readonly tailPii: number;
  readonly tailDocument: number;
}

/** One sampled output, in rank order (most suspicious first). */
export interface SampleRow {
  readonly attempt: string;
  readonly prompt: string;
  readonly score: number;
  readonly perplexity?: number;
  readonly zlibRatio?: number;
  readonly referenceRatio?: number;
  /** What the detectors found in it (finding kinds), so a reader sees whether the top samples leak. */
  readonly leaks: readonly string[];
}

/** Untargeted samples ranked by memorization signal, so the most suspicious are read first. */
export interface SampleRanking {
  /** `reference` (ratio to the control), `zlib`, `perplexity`, or `none` (no log-probs: input order). */
  readonly by: RankSignal;
  readonly samples: number;
  /** Samples with a leak verdict among the first `top.length`, and among all. */
  readonly leakingInTop: number;
  readonly leaking: number;
  readonly top: readonly SampleRow[];
}

export interface ExtractionSummary {
  readonly canaries: readonly CanaryStat[];
  readonly byInsertCount: readonly InsertCountRow[];
  readonly documents: readonly DocumentRow[];
  readonly attributes: readonly AttributeRow[];
  readonly divergence: readonly DivergenceRow[];
  readonly sampling: SampleRanking | null;
}

/** Rows of the sample ranking kept in the summary. */
export const TOP_SAMPLES = 10;

const NO_SET = "(documents)";

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

function canaryStats(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): CanaryStat[] {
  const known = new Map<string, { insertCount: number | null; control: boolean }>();
  const prompted = new Map<string, string>();
  for (const a of atts) {
    if (a.meta.kind !== "canary") continue;
    prompted.set(`${a.probe}\0${a.attempt}`, a.meta.canaryId);
    known.set(a.meta.canaryId, { insertCount: a.meta.insertCount ?? null, control: a.meta.control ?? false });
  }
  const found = new Map<string, { exact: Set<string>; near: Set<string>; best: number; by: Set<string> }>();
  for (const v of vs) {
    if (v.finding !== "canary") continue;
    for (const e of v.evidence) {
      if (e.source.kind !== "canary") continue;
      const id = e.source.canaryId;
      if (!known.has(id) || known.get(id)!.insertCount === null) {
        known.set(id, { insertCount: e.source.insertCount ?? null, control: e.source.control ?? false });
      }
      const f = found.get(id) ?? { exact: new Set(), near: new Set(), best: 1, by: new Set() };
      const att = `${v.probe}\0${v.attempt}`;
      const d = e.distance ?? 0;
      (d === 0 ? f.exact : f.near).add(att);
      f.best = Math.min(f.best, d);
      const p = prompted.get(att);
      if (p !== undefined && p !== id) f.by.add(p);
      found.set(id, f);
    }
  }
  return [...known.entries()]
    .map(([canaryId, k]) => {
      const f = found.get(canaryId);
      const near = f ? [...f.near].filter((a) => !f.exact.has(a)).length : 0;
      return {
        canaryId,
        insertCount: k.insertCount,
        control: k.control,
        exactAttempts: f?.exact.size ?? 0,
        nearAttempts: near,
        bestDistance: f ? f.best : null,
        drawnByOthers: f ? [...f.by].sort() : [],
      };
    })
    .sort((a, b) => (a.insertCount ?? -1) - (b.insertCount ?? -1) || a.canaryId.localeCompare(b.canaryId));
}

function insertRows(stats: readonly CanaryStat[]): InsertCountRow[] {
  const rows: InsertCountRow[] = [];
  for (const [k, list] of group(
    stats.filter((s) => s.insertCount !== null),
    (s) => String(s.insertCount),
  )) {
    const exact = list.filter((s) => s.exactAttempts > 0).length;
    const near = list.filter((s) => s.exactAttempts === 0 && s.nearAttempts > 0).length;
    rows.push({ insertCount: Number(k), canaries: list.length, exact, near, exactRate: exact / list.length });
  }
  return rows.sort((a, b) => a.insertCount - b.insertCount);
}

function leaks(vs: readonly VerdictEvent[], finding: VerdictEvent["finding"]) {
  const exact = new Set<string>();
  const any = new Set<string>();
  for (const v of vs) {
    if (v.finding !== finding) continue;
    any.add(`${v.probe}\0${v.attempt}`);
    if (v.exact) exact.add(`${v.probe}\0${v.attempt}`);
  }
  return { exact, any };
}

function documentRows(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): DocumentRow[] {
  const { exact, any } = leaks(
    vs.filter((v) => v.detector === "prefix-continuation"),
    "document",
  );
  const prefix = atts.filter((a) => a.meta.kind === "prefix");
  const rows: DocumentRow[] = [];
  for (const list of group(prefix, (a) => {
    const m = a.meta as Extract<AttemptEvent["meta"], { kind: "prefix" }>;
    return `${m.source ?? NO_SET}\0${m.unit}\0${String(m.prefixLength).padStart(8, "0")}`;
  }).values()) {
    const m = list[0]!.meta as Extract<AttemptEvent["meta"], { kind: "prefix" }>;
    const keys = list.map((a) => `${a.probe}\0${a.attempt}`);
    const extracted = keys.filter((k) => exact.has(k)).length;
    const near = keys.filter((k) => any.has(k) && !exact.has(k)).length;
    rows.push({
      source: m.source ?? NO_SET,
      unit: m.unit,
      prefixLength: m.prefixLength,
      attempts: list.length,
      extracted,
      near,
      extractedRate: extracted / list.length,
    });
  }
  return rows.sort(
    (a, b) =>
      a.source.localeCompare(b.source) || a.unit.localeCompare(b.unit) || a.prefixLength - b.prefixLength,
  );
}

function attributeRows(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): AttributeRow[] {
  const { exact, any } = leaks(vs, "attribute");
  const rows: AttributeRow[] = [];
  const attrs = atts.filter((a) => a.meta.kind === "attribute");
  for (const list of group(attrs, (a) => {
    const m = a.meta as Extract<AttemptEvent["meta"], { kind: "attribute" }>;
    return `${m.source ?? NO_SET}\0${m.field}`;
  }).values()) {
    const m = list[0]!.meta as Extract<AttemptEvent["meta"], { kind: "attribute" }>;
    const keys = list.map((a) => `${a.probe}\0${a.attempt}`);
    rows.push({
      source: m.source ?? NO_SET,
      field: m.field,
      attempts: list.length,
      exact: keys.filter((k) => exact.has(k)).length,
      near: keys.filter((k) => any.has(k) && !exact.has(k)).length,
    });
  }
  return rows.sort((a, b) => a.source.localeCompare(b.source) || a.field.localeCompare(b.field));
}

function divergenceRows(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): DivergenceRow[] {
  const byAttempt = group(vs, (v) => `${v.probe}\0${v.attempt}`);
  const rows: DivergenceRow[] = [];
  const repeats = atts.filter((a) => a.meta.kind === "repeat");
  for (const list of group(repeats, (a) => `${a.probe}\0${a.mode}`).values()) {
    let diverged = 0;
    let tailCanary = 0;
    let tailPii = 0;
    let tailDocument = 0;
    for (const a of list) {
      const got = byAttempt.get(`${a.probe}\0${a.attempt}`) ?? [];
      if (!got.some((v) => v.finding === "divergence")) continue;
      diverged++;
      if (got.some((v) => v.finding === "canary")) tailCanary++;
      if (got.some((v) => v.finding === "pii")) tailPii++;
      if (got.some((v) => v.finding === "document")) tailDocument++;
    }
    rows.push({
      probe: list[0]!.probe,
      mode: list[0]!.mode,
      attempts: list.length,
      diverged,
      tailCanary,
      tailPii,
      tailDocument,
    });
  }
  return rows.sort((a, b) => a.probe.localeCompare(b.probe) || a.mode.localeCompare(b.mode));
}

function sampleRanking(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): SampleRanking | null {
  const sampled = atts.filter(
    (a): a is AttemptEvent & { signals: NonNullable<AttemptEvent["signals"]> } =>
      a.meta.kind === "sampling" && a.signals !== undefined,
  );
  if (sampled.length === 0) return null;
  const byAttempt = group(
    vs.filter((v) => v.finding !== "divergence"),
    (v) => `${v.probe}\0${v.attempt}`,
  );
  const ranked = rankBySignals(sampled);
  const rows = ranked.map(({ item: a, score }) => {
    const leaks = [...new Set((byAttempt.get(`${a.probe}\0${a.attempt}`) ?? []).map((v) => v.finding))];
    const { perplexity, zlibRatio, referenceRatio } = a.signals;
    return {
      attempt: a.attempt,
      prompt: a.meta.kind === "sampling" ? a.meta.prompt : "",
      score,
      ...(perplexity !== undefined ? { perplexity } : {}),
      ...(zlibRatio !== undefined ? { zlibRatio } : {}),
      ...(referenceRatio !== undefined ? { referenceRatio } : {}),
      leaks,
    };
  });
  const top = rows.slice(0, TOP_SAMPLES);
  return {
    by: ranked[0]!.by,
    samples: rows.length,
    leakingInTop: top.filter((r) => r.leaks.length > 0).length,
    leaking: rows.filter((r) => r.leaks.length > 0).length,
    top,
  };
}

/**
 * The extraction section for one role, from its successful attempts and their verdicts.
 * @example extractionSummary("target", folded.attempts, folded.verdicts).byInsertCount
 */
export function extractionSummary(
  role: Role,
  attempts: readonly AttemptEvent[],
  verdicts: readonly VerdictEvent[],
): ExtractionSummary {
  const atts = attempts.filter((a) => a.role === role && a.status === "ok");
  const vs = verdicts.filter((v) => v.role === role);
  const canaries = canaryStats(atts, vs);
  return {
    canaries,
    byInsertCount: insertRows(canaries),
    documents: documentRows(atts, vs),
    attributes: attributeRows(atts, vs),
    divergence: divergenceRows(atts, vs),
    sampling: sampleRanking(atts, vs),
  };
}
