import type { CanaryExposureEvent, ReportEvent, ReportEvidence } from "./events.js";
import { foldExposure } from "./exposure-view.js";
import { finalizeSummary } from "./finalize.js";
import { foldMia, type MiaView } from "./mia-view.js";
import type { Finding, RoleSummary, Summary } from "./summary.js";

/** Everything a renderer needs, folded once from a run's events. */
export interface ReportModel {
  readonly summary: Summary;
  /** The resolved plan from `run.started` (secrets already removed), or {} without one. */
  readonly plan: Readonly<Record<string, unknown>>;
  readonly memscanVersion: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Raw leaked text is shown (the run stored it with --reveal and the renderer was asked to reveal). */
  readonly revealed: boolean;
  readonly mia: MiaView;
  readonly exposure: readonly CanaryExposureEvent[];
  /** Output text around each target finding's evidence (only when revealed), keyed by `findingKey`. */
  readonly contexts: ReadonlyMap<string, OutputContext>;
  /** Wall-clock milliseconds per probe on the target (resumed runs: across starts). */
  readonly probeMs: ReadonlyMap<string, number>;
}

export interface OutputContext {
  readonly before: string;
  readonly match: string;
  readonly after: string;
}

export interface ModelOptions {
  /** Gate expressions (default: the run's own from its plan, else none). */
  readonly gates?: readonly string[];
  /** Show raw leaked text, when the run stored it. Default false: evidence is masked. */
  readonly reveal?: boolean;
}

/** Key of a finding within its role: probe, kind and subject. */
export const findingKey = (f: Pick<Finding, "probe" | "kind" | "subject">): string =>
  `${f.probe}\0${f.kind}\0${f.subject}`;

/** The gates a run was started with (its `--fail-on`), from `run.started`. */
export function savedGates(events: readonly ReportEvent[]): string[] {
  const started = events.find((e) => e.type === "run.started");
  const saved = started?.type === "run.started" ? started.plan.failOn : undefined;
  return Array.isArray(saved) ? saved.filter((g): g is string => typeof g === "string") : [];
}

/** Fold a run's events into the report model. */
export function buildReportModel(events: readonly ReportEvent[], opts: ModelOptions = {}): ReportModel {
  const started = events.findLast((e) => e.type === "run.started");
  const finished = events.findLast((e) => e.type === "run.finished");
  const plan = started?.type === "run.started" ? started.plan : {};
  const stored = plan.reveal === true;
  const revealed = stored && opts.reveal === true;
  const raw = finalizeSummary(events, opts.gates ?? savedGates(events));
  const summary = stored && !revealed ? maskSummary(raw) : raw;
  return {
    summary,
    plan,
    memscanVersion: started?.type === "run.started" ? started.memscanVersion : "?",
    startedAt: events.find((e) => e.type === "run.started")?.time ?? null,
    finishedAt: finished?.time ?? null,
    revealed,
    mia: foldMia(events),
    exposure: foldExposure(events),
    contexts: revealed ? outputContexts(events, raw.target.findings) : new Map(),
    probeMs: probeMs(events),
  };
}

/** Mask evidence that a --reveal run stored raw: the same form as at scan time (length and hash prefix). */
export function maskEvidence(e: ReportEvidence): ReportEvidence {
  return { ...e, excerpt: `[redacted ${e.end - e.start} chars sha256:${e.sha256.slice(0, 12)}]` };
}

function maskRole(r: RoleSummary): RoleSummary {
  return { ...r, findings: r.findings.map((f) => ({ ...f, evidence: maskEvidence(f.evidence) })) };
}

function maskSummary(s: Summary): Summary {
  return { ...s, target: maskRole(s.target), control: s.control ? maskRole(s.control) : null };
}

/** Wall-clock span per probe on the target: from the first attempt's start to the last attempt's end. */
function probeMs(events: readonly ReportEvent[]): Map<string, number> {
  const span = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    if (e.type !== "attempt" || e.role !== "target") continue;
    const end = Date.parse(e.time);
    if (!Number.isFinite(end)) continue;
    const s = span.get(e.probe);
    span.set(e.probe, { from: Math.min(s?.from ?? end, end - e.ms), to: Math.max(s?.to ?? end, end) });
  }
  return new Map([...span].map(([probe, { from, to }]) => [probe, to - from]));
}

const CONTEXT = 60;

function outputContexts(
  events: readonly ReportEvent[],
  findings: readonly Finding[],
): Map<string, OutputContext> {
  const outputs = new Map<string, string>();
  for (const e of events) {
    if (e.type === "attempt" && e.role === "target" && e.output?.text !== undefined)
      outputs.set(`${e.probe}\0${e.attempt}`, e.output.text);
  }
  const out = new Map<string, OutputContext>();
  for (const f of findings) {
    const v = events.find(
      (e) =>
        e.type === "verdict" &&
        e.role === "target" &&
        e.probe === f.probe &&
        e.subject === f.subject &&
        e.evidence.some((x) => x.sha256 === f.evidence.sha256),
    );
    if (v?.type !== "verdict") continue;
    const text = outputs.get(`${v.probe}\0${v.attempt}`);
    if (text === undefined) continue;
    const { start, end } = f.evidence;
    out.set(findingKey(f), {
      before: text.slice(Math.max(0, start - CONTEXT), start),
      match: text.slice(start, end),
      after: text.slice(end, end + CONTEXT),
    });
  }
  return out;
}
