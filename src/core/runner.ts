import { getDetector } from "../detectors/index.js";
import { piiKey } from "../detectors/pii.js";
import { detectOn } from "../detectors/tail.js";
import type { Verdict } from "../detectors/types.js";
import type { CorpusMatcher } from "../match/corpus-naive.js";
import { type AttemptSpec, type Probe, unmetRequirement } from "../probes/types.js";
import {
  type AttemptEvent,
  event,
  type ReportEvent,
  type Role,
  type VerdictEvent,
} from "../report/events.js";
import { reportEvidence, reportMeta } from "../report/redact.js";
import type { EventSink } from "../report/sink.js";
import { schedulerFor, spentBy } from "./budget.js";
import { planForReport, type ScanPlan } from "./config.js";
import type { Canary, Document } from "./data.js";
import { TargetError } from "./errors.js";
import { sha256, stableStringify } from "./hash.js";
import { probeTokens } from "./probe-tokens.js";
import { Rng } from "./rng.js";
import { type SignalReference, samplingSignals } from "./sample-signals.js";
import type { Scheduler } from "./scheduler.js";
import type { ScanStage, StageContext } from "./stage.js";
import type { Generation, Target } from "./types.js";
import { supports } from "./types.js";
import { VERSION } from "./version.js";

/** A probe with its validated parameters. */
export interface ProbeRun {
  readonly probe: Probe<unknown>;
  readonly params: unknown;
}

/** Everything a scan needs, validated and connected; nothing written yet. */
export interface PreparedScan {
  readonly plan: ScanPlan;
  readonly runId: string;
  readonly targets: ReadonlyMap<Role, Target>;
  readonly probes: readonly ProbeRun[];
  readonly documents: readonly Document[];
  readonly canaries: readonly Canary[];
  /** The corpus index matcher of `plan.corpusIndex`, when given. */
  readonly corpus?: CorpusMatcher;
}

export interface Progress {
  readonly total: number;
  readonly done: number;
  readonly errors: number;
  readonly requests: number;
  readonly tokens: number;
  readonly hits: number;
}

export interface ExecuteOptions {
  readonly sink: EventSink;
  /** Events of earlier starts of this run (resume): completed attempts are not sent again. */
  readonly previous?: readonly ReportEvent[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Run after the probes, in order, unless the run already stopped (e.g. canary exposure). */
  readonly stages?: readonly ScanStage[];
}

export interface ExecuteResult {
  /** `failed`: a target stopped on an auth/quota error; `interrupted`: Ctrl-C or a budget (resumable). */
  readonly status: "completed" | "interrupted" | "failed";
  /** True when a request or token budget stopped the run (resume with a larger one). */
  readonly budget?: boolean;
  /** Why the run stopped early (budget, a fatal target error, Ctrl-C). */
  readonly reason?: string;
  /** A target that stopped on an auth/quota error. */
  readonly fatal?: TargetError;
}

interface Task {
  readonly role: Role;
  readonly run: ProbeRun;
  readonly attempt: AttemptSpec;
  readonly journalKey: string;
}

/** Stable key of one request: a resumed run never re-sends a key it already finished. */
export function journalKey(targetId: string, probe: string, attempt: AttemptSpec, seed: number): string {
  return sha256(
    stableStringify({
      targetId,
      probe,
      key: attempt.key,
      request: attempt.request,
      params: attempt.params,
      seed,
    }),
  );
}

function promptText(attempt: AttemptSpec): string {
  return attempt.request.kind === "chat"
    ? attempt.request.messages.map((m) => m.content).join("\n")
    : attempt.request.prompt;
}

/** What a verdict's evidence is about; one verdict event per subject. */
function splitBySubject(verdict: Verdict, attempt: AttemptSpec): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  for (const ev of verdict.evidence) {
    const s = ev.source;
    const subject =
      s.kind === "canary"
        ? s.canaryId
        : s.kind === "document"
          ? s.docId
          : attempt.meta.kind === "attribute" && verdict.finding === "attribute"
            ? `${attempt.meta.docId}:${attempt.meta.field}`
            : verdict.finding === "divergence"
              ? "divergence"
              : `${s.rule}:${sha256(piiKey(s.rule, ev.text)).slice(0, 12)}`;
    const prev = out.get(subject);
    out.set(subject, prev ? { ...prev, evidence: [...prev.evidence, ev] } : { ...verdict, evidence: [ev] });
  }
  return out;
}

async function buildTasks(
  prepared: PreparedScan,
  done: ReadonlySet<string>,
  emit: (e: ReportEvent) => Promise<void>,
  signal?: AbortSignal,
) {
  const tasks: Task[] = [];
  const skips: Promise<void>[] = [];
  let completed = 0;
  for (const [role, target] of prepared.targets) {
    if (role === "reference") continue; // scored by the MIA stage, never probed
    for (const run of prepared.probes) {
      const { probe } = run;
      const unmet = unmetRequirement(probe, target.info.capabilities);
      const missing = (probe.needs ?? []).find((n) =>
        n === "documents" ? prepared.documents.length === 0 : prepared.canaries.length === 0,
      );
      const reason = unmet
        ? `${unmet}; ${target.info.id} lacks it`
        : missing
          ? `needs ${missing}: pass --${missing} <file>`
          : null;
      if (reason) {
        skips.push(emit(event({ type: "probe.skipped", role, probe: probe.id, reason })));
        continue;
      }
      const base = {
        target: target.info,
        rng: new Rng(prepared.plan.seed, `probe/${probe.id}`),
        documents: prepared.documents,
        canaries: prepared.canaries,
      };
      const tokens = await probeTokens(run, base, target, signal);
      const ctx = tokens ? { ...base, tokens } : base;
      for (const attempt of probe.attempts(run.params, ctx)) {
        const key = journalKey(target.info.id, probe.id, attempt, prepared.plan.seed);
        if (done.has(key)) completed++;
        else tasks.push({ role, run, attempt, journalKey: key });
      }
    }
  }
  return { tasks, completed, skips };
}

async function call(target: Target, attempt: AttemptSpec, signal: AbortSignal): Promise<Generation> {
  const req = attempt.request;
  if (req.kind === "chat") {
    if (!supports(target, "chat"))
      throw new TargetError("bad_request", `${target.info.id} has no chat endpoint`);
    return target.chat(req.messages, attempt.params, { signal });
  }
  if (!supports(target, "completion")) {
    throw new TargetError("bad_request", `${target.info.id} has no completion endpoint`);
  }
  return target.complete(req.prompt, attempt.params, { signal });
}

function detect(task: Task, output: string, prepared: PreparedScan): Verdict[] {
  const ctx = {
    canaries: prepared.canaries,
    documents: prepared.documents,
    ...(prepared.corpus ? { corpus: prepared.corpus } : {}),
    promptText: promptText(task.attempt),
  };
  const verdicts: Verdict[] = [];
  for (const id of task.run.probe.detectors) {
    const v = detectOn(getDetector(id), output, task.attempt, ctx);
    if (v) verdicts.push(v);
  }
  return verdicts;
}

/**
 * Run every probe on every target (and control, with the same seed), writing events as results arrive.
 * One failed call never stops the scan; Ctrl-C (the signal) stops it cleanly and the journal resumes it.
 */
export async function executeScan(prepared: PreparedScan, opts: ExecuteOptions): Promise<ExecuteResult> {
  const { plan } = prepared;
  const emit = (e: ReportEvent) => opts.sink.write(e);
  const done = new Set(
    (opts.previous ?? [])
      .filter((e): e is AttemptEvent => e.type === "attempt" && e.status === "ok")
      .map((e) => e.journalKey),
  );
  await emit(
    event({
      type: "run.started",
      runId: prepared.runId,
      memscanVersion: VERSION,
      seed: plan.seed,
      plan: planForReport(plan),
      resumed: opts.previous !== undefined && opts.previous.length > 0,
    }),
  );
  for (const [role, target] of prepared.targets)
    await emit(event({ type: "target.capabilities", role, info: target.info }));

  const { tasks, completed, skips } = await buildTasks(prepared, done, emit, opts.signal);
  await Promise.all(skips);
  const progress = {
    total: tasks.length + completed,
    done: completed,
    errors: 0,
    requests: 0,
    tokens: 0,
    hits: 0,
  };
  opts.onProgress?.({ ...progress });

  const schedulers = new Map<Role, Scheduler>();
  for (const role of prepared.targets.keys()) {
    schedulers.set(role, schedulerFor(plan, opts.signal, spentBy(opts.previous ?? [], role)));
  }

  const control = prepared.targets.get("control");
  const referenceFor = (role: Role): SignalReference | undefined =>
    role === "target" && control && supports(control, "promptLogprobs")
      ? { target: control, scheduler: schedulers.get("control")! }
      : undefined;

  let stopReason: string | undefined;
  let budget = false;
  let fatal: TargetError | undefined;
  await Promise.all(
    tasks.map(async (task) => {
      const target = prepared.targets.get(task.role)!;
      const scheduler = schedulers.get(task.role)!;
      const started = Date.now();
      const promptChars = promptText(task.attempt).length;
      const outcome = await scheduler.run((signal) => call(target, task.attempt, signal), {
        estimatedTokens: Math.ceil(promptChars / 4) + task.attempt.params.maxTokens,
        usage: (g: Generation) => g.usage.promptTokens + g.usage.completionTokens,
        rateLimit: (g: Generation) => g.rateLimit,
      });
      progress.requests += outcome.tries;
      const base = {
        role: task.role,
        probe: task.run.probe.id,
        attempt: task.attempt.key,
        journalKey: task.journalKey,
        mode: task.attempt.request.kind,
        params: task.attempt.params,
        meta: reportMeta(task.attempt.meta, plan.reveal),
        tries: outcome.tries,
      } as const;
      if (!outcome.ok) {
        const err = outcome.error;
        if (err instanceof TargetError && err.kind === "aborted") {
          stopReason ??= "interrupted";
          return; // not done: a resume sends it again
        }
        if (!(err instanceof TargetError)) {
          stopReason ??= err.message; // budget reached: not sent, resumable with a larger budget
          budget = true;
          return;
        }
        if (err.fatal) fatal ??= err;
        progress.done++;
        progress.errors++;
        await emit(
          event<AttemptEvent>({
            type: "attempt",
            ...base,
            status: "error",
            error: { kind: err.kind, message: err.message, ...(err.status ? { status: err.status } : {}) },
            ms: Date.now() - started,
            verdicts: 0,
          }),
        );
        opts.onProgress?.({ ...progress });
        return;
      }
      const gen = outcome.value;
      progress.tokens += gen.usage.promptTokens + gen.usage.completionTokens;
      const verdicts = detect(task, gen.text, prepared);
      let count = 0;
      for (const v of verdicts) {
        for (const [subject, part] of splitBySubject(v, task.attempt)) {
          count++;
          await emit(
            event<VerdictEvent>({
              type: "verdict",
              role: task.role,
              probe: task.run.probe.id,
              attempt: task.attempt.key,
              detector: part.detector,
              finding: part.finding,
              score: part.score,
              exact: part.exact,
              subject,
              evidence: part.evidence.map((e) => reportEvidence(e, plan.reveal)),
              ...(part.note ? { note: part.note } : {}),
            }),
          );
        }
      }
      if (verdicts.some((v) => v.finding !== "divergence" && v.exact)) progress.hits++;
      const signals =
        task.attempt.meta.kind === "sampling"
          ? await samplingSignals(gen, referenceFor(task.role))
          : undefined;
      progress.done++;
      await emit(
        event<AttemptEvent>({
          type: "attempt",
          ...base,
          status: "ok",
          output: {
            chars: gen.text.length,
            sha256: sha256(gen.text),
            ...(plan.reveal ? { text: gen.text } : {}),
          },
          usage: gen.usage,
          ms: Date.now() - started,
          verdicts: count,
          ...(signals ? { signals } : {}),
        }),
      );
      opts.onProgress?.({ ...progress });
    }),
  );

  for (const stage of opts.stages ?? []) {
    if (opts.signal?.aborted || stopReason !== undefined || fatal) break;
    const ctx = { prepared, emit, previous: opts.previous ?? [], schedulers, ...optional(opts) };
    const r = await stage.run(ctx);
    stopReason ??= r.reason;
    if (r.budget) budget = true;
    fatal ??= r.fatal;
  }
  const interrupted = opts.signal?.aborted === true || stopReason !== undefined;
  const status = fatal ? "failed" : interrupted ? "interrupted" : "completed";
  const reason = fatal ? fatal.message : opts.signal?.aborted ? "interrupted by the user" : stopReason;
  await emit(event({ type: "run.finished", status, ...(reason ? { reason } : {}) }));
  return {
    status,
    ...(budget ? { budget } : {}),
    ...(reason ? { reason } : {}),
    ...(fatal ? { fatal } : {}),
  };
}

function optional(opts: ExecuteOptions): Pick<StageContext, "signal" | "onProgress"> {
  return {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
}

/** Requests and tokens a role already spent in earlier starts of a run (resume). */
