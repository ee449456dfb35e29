import type { GateResult } from "../core/gate.js";
import type { TargetInfo } from "../core/types.js";
import type { FindingKind } from "../detectors/types.js";
import type { AttemptEvent, ReportEvent, ReportEvidence, Role, VerdictEvent } from "./events.js";
import { type ExposureSection, exposureMetrics, foldExposure } from "./exposure-summary.js";
import { type ExtractionSummary, extractionSummary } from "./extraction-summary.js";

/** Version of the summary JSON (`summary.json`, `--json`); documented in reports/README.md. */
export const SUMMARY_VERSION = 1;

export interface ProbeStats {
  readonly id: string;
  readonly attempts: number;
  readonly errors: number;
  /** Attempts with at least one exact leak verdict (canary, document, PII, attribute). */
  readonly hits: number;
  /** Attempts with only near (approximate) leak verdicts. */
  readonly nearHits: number;
  /** Attempts whose output diverged (repetition probes). */
  readonly diverged: number;
  /** hits / successful attempts (0 when none succeeded). */
  readonly hitRate: number;
  readonly skipped?: string;
}

export interface ProbeComparison {
  readonly id: string;
  readonly targetHitRate: number;
  readonly controlHitRate: number | null;
  /** target - control, or null without a control. */
  readonly difference: number | null;
}

export interface Finding {
  readonly probe: string;
  readonly detector: string;
  readonly kind: FindingKind;
  /** Canary id, document id, or PII rule with a hash of the value. */
  readonly subject: string;
  readonly score: number;
  readonly exact: boolean;
  /** Smallest normalised edit distance seen (0 = verbatim). */
  readonly distance: number;
  /** Attempts that produced it. */
  readonly count: number;
  /** A few attempt keys that drew it (which prompt). */
  readonly attempts: readonly string[];
  readonly evidence: ReportEvidence;
  /**
   * The control target produced the same subject under the same probe at least as closely (exactly, when
   * this finding is exact): not evidence of memorization of your data.
   */
  readonly controlReproduced: boolean;
  /** Attempts in which the control produced the same subject (any closeness), when there is a control. */
  readonly controlCount?: number;
  /**
   * PII whose value is in none of the user's documents (checked only when documents were given): the
   * model may have made it up, so it is reported but not counted as a leak of your data.
   */
  readonly notInData?: true;
}

/** Whether a finding is evidence of memorization of the user's data (counted by the gates). */
export function countsAsEvidence(f: Finding): boolean {
  return !f.controlReproduced && f.notInData !== true;
}

/** Why a finding is not counted, for people; null when it is. */
export function findingCaveat(f: Finding): string | null {
  if (f.controlReproduced) return "reproduced by control: not evidence of memorization of your data";
  if (f.notInData) return "not in your documents: possibly made up by the model";
  return null;
}

export interface RoleSummary {
  readonly target: TargetInfo | null;
  readonly probes: readonly ProbeStats[];
  readonly findings: readonly Finding[];
  readonly requests: number;
  readonly tokens: number;
  /** Canaries per insert count, documents per set and prefix length, fields, divergence tails. */
  readonly extraction: ExtractionSummary;
}

export interface Summary {
  readonly summaryVersion: typeof SUMMARY_VERSION;
  readonly runId: string;
  readonly status: "completed" | "interrupted" | "failed" | "running";
  readonly seed: number;
  readonly target: RoleSummary;
  readonly control: RoleSummary | null;
  readonly comparisons: readonly ProbeComparison[];
  /** Headline numbers the gates read. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly gates: readonly GateResult[];
  readonly exitCode: number;
  /** Canary exposure per role (`canary.exposure` events), when the run measured it. */
  readonly exposure?: ExposureSection;
}

/** Metric names a scan gate may use. */
export const SCAN_METRICS = [
  "findings",
  "near-findings",
  "canary-leaks",
  "documents-extracted",
  "pii",
  "pii-not-in-data",
  "errors",
  "error-rate",
  "hit-rate",
  "excess-hit-rate",
  "exposure",
] as const;

/** Fold a run's events (possibly from several resumed starts) into per-role state. */
export function foldEvents(events: readonly ReportEvent[]) {
  const attempts = new Map<string, AttemptEvent>();
  // An attempt's verdicts are written just before its `attempt` event (the commit marker): they belong
  // to the attempt event that follows them in the same start. Verdicts not followed by it (a crash in
  // between) are void, and a resumed start's redo replaces them.
  const pending = new Map<string, VerdictEvent[]>();
  const committed = new Map<string, VerdictEvent[]>();
  const skipped = new Map<string, string>();
  const infos = new Map<Role, TargetInfo>();
  let runId = "";
  let seed = 0;
  let status: Summary["status"] = "running";
  for (const ev of events) {
    switch (ev.type) {
      case "run.started":
        runId = ev.runId;
        seed = ev.seed;
        status = "running";
        pending.clear();
        break;
      case "target.capabilities":
        infos.set(ev.role, ev.info);
        break;
      case "probe.skipped":
        skipped.set(`${ev.role}\0${ev.probe}`, ev.reason);
        break;
      case "verdict": {
        const key = `${ev.role}\0${ev.probe}\0${ev.attempt}`;
        pending.set(key, [...(pending.get(key) ?? []), ev]);
        break;
      }
      case "attempt": {
        const key = `${ev.role}\0${ev.probe}\0${ev.attempt}`;
        attempts.set(key, ev);
        committed.set(key, ev.status === "ok" ? (pending.get(key) ?? []) : []);
        pending.delete(key);
        break;
      }
      case "run.finished":
        status = ev.status;
        break;
    }
  }
  const verdicts = [...committed.values()].flat();
  return { runId, seed, status, attempts: [...attempts.values()], verdicts, skipped, infos };
}

const isLeak = (v: VerdictEvent) => v.finding !== "divergence";

/** Findings are listed planted evidence first: canaries, then documents, records, PII. */
const KIND_ORDER: readonly FindingKind[] = ["canary", "document", "attribute", "pii", "divergence"];

function probeStats(role: Role, folded: ReturnType<typeof foldEvents>): ProbeStats[] {
  const ids = new Set<string>();
  for (const a of folded.attempts) if (a.role === role) ids.add(a.probe);
  for (const k of folded.skipped.keys()) if (k.startsWith(`${role}\0`)) ids.add(k.slice(role.length + 1));
  return [...ids].sort().map((id) => {
    const atts = folded.attempts.filter((a) => a.role === role && a.probe === id);
    const vs = folded.verdicts.filter((v) => v.role === role && v.probe === id);
    const byAttempt = new Map<string, VerdictEvent[]>();
    for (const v of vs) byAttempt.set(v.attempt, [...(byAttempt.get(v.attempt) ?? []), v]);
    let hits = 0;
    let nearHits = 0;
    let diverged = 0;
    for (const list of byAttempt.values()) {
      const leaks = list.filter(isLeak);
      if (leaks.some((v) => v.exact)) hits++;
      else if (leaks.length) nearHits++;
      if (list.some((v) => v.finding === "divergence")) diverged++;
    }
    const ok = atts.filter((a) => a.status === "ok").length;
    const reason = folded.skipped.get(`${role}\0${id}`);
    return {
      id,
      attempts: atts.length,
      errors: atts.length - ok,
      hits,
      nearHits,
      diverged,
      hitRate: ok ? hits / ok : 0,
      ...(reason && atts.length === 0 ? { skipped: reason } : {}),
    };
  });
}

function findings(role: Role, folded: ReturnType<typeof foldEvents>): Finding[] {
  const groups = new Map<string, VerdictEvent[]>();
  for (const v of folded.verdicts) {
    if (v.role !== role || !isLeak(v)) continue;
    const key = `${v.probe}\0${v.finding}\0${v.subject}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const control = new Map<string, { exact: boolean; distance: number; attempts: Set<string> }>();
  for (const v of folded.verdicts) {
    if (v.role !== "control" || !isLeak(v)) continue;
    const key = `${v.probe}\0${v.finding}\0${v.subject}`;
    const c = control.get(key) ?? { exact: false, distance: 1, attempts: new Set<string>() };
    c.exact ||= v.exact;
    c.distance = Math.min(c.distance, ...v.evidence.map((e) => e.distance ?? 0));
    c.attempts.add(v.attempt);
    control.set(key, c);
  }
  const hasControl = folded.infos.has("control");
  const out: Finding[] = [];
  for (const [key, list] of groups) {
    // Deterministic whatever order the attempts finished in: best score, then exact, then attempt key.
    const best = [...list].sort(
      (a, b) => b.score - a.score || Number(b.exact) - Number(a.exact) || a.attempt.localeCompare(b.attempt),
    )[0]!;
    const distance = Math.min(...list.flatMap((v) => v.evidence.map((e) => e.distance ?? 0)));
    const attemptKeys = [...new Set(list.map((v) => v.attempt))].sort();
    const exact = list.some((v) => v.exact);
    const c = role === "target" ? control.get(key) : undefined;
    const reproduced = c !== undefined && (c.exact || (!exact && c.distance <= distance));
    out.push({
      probe: best.probe,
      detector: best.detector,
      kind: best.finding,
      subject: best.subject,
      score: best.score,
      exact,
      distance: Number.isFinite(distance) ? distance : 0,
      count: attemptKeys.length,
      attempts: attemptKeys.slice(0, 5),
      evidence: best.evidence[0]!,
      ...(list.every((v) => v.evidence.every((e) => e.source.kind === "rule" && e.source.inData === false))
        ? { notInData: true as const }
        : {}),
      controlReproduced: reproduced,
      ...(role === "target" && hasControl ? { controlCount: c?.attempts.size ?? 0 } : {}),
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.exact) - Number(a.exact) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      b.score - a.score ||
      a.subject.localeCompare(b.subject) ||
      a.probe.localeCompare(b.probe),
  );
}

function roleSummary(role: Role, folded: ReturnType<typeof foldEvents>): RoleSummary {
  const atts = folded.attempts.filter((a) => a.role === role);
  return {
    target: folded.infos.get(role) ?? null,
    probes: probeStats(role, folded),
    findings: findings(role, folded),
    requests: atts.reduce((s, a) => s + a.tries, 0),
    tokens: atts.reduce((s, a) => s + (a.usage ? a.usage.promptTokens + a.usage.completionTokens : 0), 0),
    extraction: extractionSummary(role, folded.attempts, folded.verdicts),
  };
}

/** Everything but gates: per-role stats, findings, comparisons and metrics. */
export function summarize(events: readonly ReportEvent[]): Omit<Summary, "gates" | "exitCode"> {
  const folded = foldEvents(events);
  const target = roleSummary("target", folded);
  const control = folded.infos.has("control") ? roleSummary("control", folded) : null;
  const comparisons = target.probes.map((p) => {
    const c = control?.probes.find((q) => q.id === p.id);
    const controlHitRate = c && !c.skipped ? c.hitRate : null;
    return {
      id: p.id,
      targetHitRate: p.hitRate,
      controlHitRate,
      difference: controlHitRate === null ? null : p.hitRate - controlHitRate,
    };
  });
  const own = target.findings.filter(countsAsEvidence);
  const attempts = target.probes.reduce((s, p) => s + p.attempts, 0);
  const errors = target.probes.reduce((s, p) => s + p.errors, 0);
  const hits = target.probes.reduce((s, p) => s + p.hits, 0);
  const ok = attempts - errors;
  const metrics: Record<string, number> = {
    findings: own.filter((f) => f.exact).length,
    "near-findings": own.filter((f) => !f.exact).length,
    "canary-leaks": new Set(own.filter((f) => f.exact && f.kind === "canary").map((f) => f.subject)).size,
    "documents-extracted": new Set(own.filter((f) => f.exact && f.kind === "document").map((f) => f.subject))
      .size,
    pii: own.filter((f) => f.exact && f.kind === "pii").length,
    "pii-not-in-data": target.findings.filter((f) => !f.controlReproduced && f.notInData).length,
    errors,
    "error-rate": attempts ? errors / attempts : 0,
    "hit-rate": ok ? hits / ok : 0,
    "excess-hit-rate": Math.max(0, ...comparisons.map((c) => c.difference ?? c.targetHitRate)),
  };
  const exposure = foldExposure(events);
  Object.assign(metrics, exposureMetrics(exposure));
  return {
    summaryVersion: SUMMARY_VERSION,
    runId: folded.runId,
    status: folded.status,
    seed: folded.seed,
    target,
    control,
    comparisons,
    metrics,
    ...(exposure ? { exposure } : {}),
  };
}
