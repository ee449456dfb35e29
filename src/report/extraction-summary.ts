/**
 * The extraction section of a scan summary: canary hits per insert count (attributed by content), document
 * extraction per document set and prefix length, hidden fields reproduced per set, and what repetition
 * outputs did after diverging. Folded from attempt and verdict events only.
 */
import { type CanaryStat, canaryStats, type InsertCountRow, insertRows } from "./canary-breakdown.js";
import type { AttemptEvent, Role, VerdictEvent } from "./events.js";
import { group } from "./group.js";
import { type SampleRanking, sampleRanking } from "./sample-ranking.js";

export type { CanaryStat, InsertCountRow, SampleRanking };

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

export interface ExtractionSummary {
  readonly canaries: readonly CanaryStat[];
  readonly byInsertCount: readonly InsertCountRow[];
  readonly documents: readonly DocumentRow[];
  readonly attributes: readonly AttributeRow[];
  readonly divergence: readonly DivergenceRow[];
  readonly sampling: SampleRanking | null;
}

const NO_SET = "(documents)";

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
