import type { ExposurePlan } from "../core/config-exposure.js";
import type { Canary } from "../core/data.js";
import { ConfigError } from "../core/errors.js";
import { sha256, stableStringify } from "../core/hash.js";
import type { PreparedScan } from "../core/runner.js";
import type { ScanStage, StageContext, StageResult } from "../core/stage.js";
import { supports, type Target } from "../core/types.js";
import { type CanaryExposureEvent, event, type Role } from "../report/events.js";
import { type CanaryCandidates, drawCandidates } from "./candidates.js";
import { measureEmission } from "./exposure-generation.js";
import { measureRank } from "./exposure-rank.js";
import type { MeasureContext, Measured } from "./measure.js";

/** One canary to measure on one role, with its journal key. */
interface Job {
  readonly role: Role;
  readonly canary: Canary;
  readonly method: "rank" | "generation";
  readonly candidates?: CanaryCandidates;
  readonly journalKey: string;
  /** Calls it takes (progress). */
  readonly calls: number;
}

function methodFor(plan: ExposurePlan, target: Target): "rank" | "generation" {
  if (plan.method === "generation") return "generation";
  if (supports(target, "promptLogprobs")) return "rank";
  if (plan.method === "rank") {
    throw new ConfigError(
      `Expected a target with prompt logprobs for exposure method rank, got ${target.info.id} without them (${target.info.notes.promptLogprobs ?? "not offered"}); use method auto or generation`,
    );
  }
  if (!supports(target, "completion") && !supports(target, "chat")) {
    throw new ConfigError(
      `Expected ${target.info.id} to give prompt logprobs, completions or chat for canary exposure, got none of them`,
    );
  }
  return "generation";
}

/**
 * Build the exposure stage of a scan (or of `memscan canary exposure`): validate the plan against the
 * canaries and the connected targets and draw every reference secret, before anything is written.
 * Each canary on each measured role is one unit of work, committed by its `canary.exposure` event.
 *
 * @throws ConfigError without canaries, without formats (rank), or with a method the target cannot do.
 */
export async function exposureStage(
  plan: ExposurePlan,
  prepared: Pick<PreparedScan, "targets" | "canaries" | "plan">,
): Promise<ScanStage> {
  const { canaries } = prepared;
  const seed = prepared.plan.seed;
  if (canaries.length === 0) {
    throw new ConfigError(
      "Expected canaries for exposure, got none; pass --canaries <manifest> (or `canaries:` in the config)",
    );
  }
  const roles: Role[] = [
    "target",
    ...(plan.control && prepared.targets.has("control") ? ["control" as const] : []),
  ];
  const methods = new Map(roles.map((r) => [r, methodFor(plan, prepared.targets.get(r)!)]));
  const candidates = [...methods.values()].includes("rank")
    ? new Map((await drawCandidates(canaries, plan.references, seed)).map((c) => [c.canary.id, c]))
    : new Map<string, CanaryCandidates>();
  const jobs: Job[] = roles.flatMap((role) =>
    canaries.map((canary) => {
      const method = methods.get(role)!;
      const size = method === "rank" ? plan.references : plan.samples;
      const journalKey = sha256(
        stableStringify({
          stage: "exposure",
          targetId: prepared.targets.get(role)!.info.id,
          role,
          canary: canary.id,
          prefix: canary.prefix,
          secret: sha256(canary.secret),
          format: canary.format,
          text: canary.text,
          method,
          size,
          seed,
        }),
      );
      return {
        role,
        canary,
        method,
        ...(method === "rank" ? { candidates: candidates.get(canary.id)! } : {}),
        journalKey,
        calls: size + 1,
      };
    }),
  );
  return { name: "exposure", run: (ctx) => runJobs(jobs, plan, seed, ctx) };
}

async function runJobs(jobs: readonly Job[], plan: ExposurePlan, seed: number, ctx: StageContext) {
  const done = new Set(
    ctx.previous
      .filter((e): e is CanaryExposureEvent => e.type === "canary.exposure" && e.error === undefined)
      .map((e) => e.journalKey),
  );
  const todo = jobs.filter((j) => !done.has(j.journalKey));
  const progress = { total: 0, done: 0, errors: 0, requests: 0, tokens: 0, hits: 0 };
  for (const j of jobs) progress.total += j.calls;
  progress.done = progress.total - todo.reduce((s, j) => s + j.calls, 0);
  ctx.onProgress?.({ ...progress });
  for (const job of todo) {
    const target = ctx.prepared.targets.get(job.role)!;
    const mctx: MeasureContext = {
      target,
      scheduler: ctx.schedulers.get(job.role)!,
      onCall: (c) => {
        progress.done++;
        progress.requests += c.tries;
        progress.tokens += c.tokens;
        if (!c.ok) progress.errors++;
        ctx.onProgress?.({ ...progress });
      },
    };
    const measured: Measured =
      job.method === "rank"
        ? await measureRank(job.candidates!, mctx)
        : await measureEmission(job.canary, plan.samples, seed, mctx);
    if (measured.kind === "stopped") return stopped(measured);
    const b = measured.body;
    if (b.rank === 1 || (b.emission?.hits ?? 0) > 0 || b.emission?.greedy) progress.hits++;
    await ctx.emit(
      event<CanaryExposureEvent>({
        type: "canary.exposure",
        role: job.role,
        journalKey: job.journalKey,
        ...b,
      }),
    );
  }
  return {};
}

function stopped(m: Extract<Measured, { kind: "stopped" }>): StageResult {
  return { reason: m.reason ?? "interrupted", ...(m.fatal ? { fatal: m.fatal } : {}) };
}
