import pLimit from "p-limit";
import { CallTally } from "../core/call-tally.js";
import type { MiaPlan } from "../core/config-mia.js";
import { ConfigError } from "../core/errors.js";
import { sha256, stableStringify } from "../core/hash.js";
import { Rng } from "../core/rng.js";
import type { PreparedScan } from "../core/runner.js";
import type { Scheduler } from "../core/scheduler.js";
import type { ScanStage, StageContext, StageResult } from "../core/stage.js";
import type { Target } from "../core/types.js";
import { event, type MiaResultEvent, type MiaScoreEvent } from "../report/events.js";
import { attackMetrics } from "./attack-metrics.js";
import { type AttackSelection, DEFAULT_PERTURBATIONS, selectAttacks } from "./attack-set.js";
import { type RecordContext, type RecordScores, scoreRecord, textsPerRecord } from "./record-score.js";
import { type MiaRecord, readMiaRecords } from "./records.js";
import { SAMIA_ATTACKS, SAMIA_PATH, samiaScores } from "./scoring/samia-sampler.js";
import { charsPerToken, choosePath, type MiaPathKind, scorerFor } from "./scoring/scorer.js";
import { teacherForcedRequests } from "./scoring/teacher-forced.js";
import type { AttackInput } from "./types.js";

/** The MIA stage, with what it will cost (shown before it runs). */
export interface MiaStage extends ScanStage {
  readonly path: MiaPathKind;
  readonly attacks: readonly string[];
  readonly records: number;
  /** Estimated requests on each role, for the cost line. */
  readonly estimate: { readonly target: number; readonly reference: number };
  /** One line for people: the path, the attacks, and the cost when it is more than one request per text. */
  readonly announce: string;
}

/** Called with each scored record's inputs (`memscan mia --save-logprobs`). */
export type OnScored = (rec: MiaRecord, scored: RecordScores) => void | Promise<void>;

/**
 * Build the membership-inference stage: read the records, choose the scoring path from the target's
 * capabilities, resolve the attacks, and estimate the cost, before anything is written. Each record is one
 * unit of work, committed by its `mia.score` event; when every record is scored, one `mia.result` per
 * attack follows (a resumed run scores only what is missing, then writes the results again).
 *
 * @throws ConfigError on unreadable records, unknown attacks, or a path the target cannot do.
 */
export async function miaStage(
  plan: MiaPlan,
  prepared: Pick<PreparedScan, "targets" | "plan">,
  opts: { readonly onScored?: OnScored } = {},
): Promise<MiaStage> {
  const target = prepared.targets.get("target")!;
  const reference = prepared.targets.get("reference");
  const path = choosePath(target, plan.path);
  if (reference && path !== "samia") choosePath(reference, path);
  const records = await readMiaRecords(plan);
  const asked = plan.attacks.length ? plan.attacks : [];
  const selection: AttackSelection | undefined =
    path === "samia"
      ? undefined
      : selectAttacks(asked, plan.k, {
          reference: reference !== undefined,
          perturbations: plan.perturbations,
        });
  if (path === "samia" && asked.some((a) => !(SAMIA_ATTACKS as readonly string[]).includes(a))) {
    throw new ConfigError(
      `Expected only ${SAMIA_ATTACKS.join(", ")} on the sampling path (${target.info.id} gives no logprobs), got ${asked.join(", ")}`,
    );
  }
  const copies = selection?.needs.has("perturbations") ? plan.perturbations || DEFAULT_PERTURBATIONS : 0;
  const attacks = selection ? selection.attacks.map((a) => a.id) : [...SAMIA_ATTACKS];
  const seed = prepared.plan.seed;
  const keyOf = (rec: MiaRecord) =>
    sha256(
      stableStringify({
        stage: "mia",
        targetId: target.info.id,
        referenceId: reference?.info.id ?? null,
        record: rec.id,
        label: rec.label,
        text: sha256(rec.text),
        path,
        attacks,
        copies,
        topLogprobs: plan.topLogprobs,
        samples: path === "samia" ? plan.samples : null,
        seed,
      }),
    );
  const ratio =
    path === "teacher-forced"
      ? await charsPerToken(
          target,
          records.map((r) => r.text),
        )
      : 4;
  const estimate = estimateCost(records, path, plan, selection, copies, target, reference, ratio);
  const stage: MiaStage = {
    name: "mia",
    path,
    attacks,
    records: records.length,
    estimate,
    announce: announceLine(target, path, plan.path === "auto", attacks, records.length, estimate),
    run: (ctx) =>
      runRecords(ctx, {
        records,
        keyOf,
        plan,
        path,
        attacks,
        seed,
        target,
        ...(reference ? { reference } : {}),
        ...(selection ? { selection } : {}),
        copies,
        charsPerToken: ratio,
        ...(opts.onScored ? { onScored: opts.onScored } : {}),
      }),
  };
  return stage;
}

function estimateCost(
  records: readonly MiaRecord[],
  path: MiaPathKind,
  plan: MiaPlan,
  selection: AttackSelection | undefined,
  copies: number,
  target: Target,
  reference: Target | undefined,
  ratio: number,
): { target: number; reference: number } {
  if (path === "samia" || !selection) return { target: records.length * plan.samples, reference: 0 };
  const per = textsPerRecord({ selection, copies });
  const perText = (t: Target, chars: number) =>
    path === "prompt" ? 1 : teacherForcedRequests(chars, t.tokenize !== undefined, ratio);
  let tgt = 0;
  let ref = 0;
  for (const r of records) {
    tgt += per.target * perText(target, r.text.length);
    if (reference) ref += per.reference * perText(reference, r.text.length);
  }
  return { target: tgt, reference: ref };
}

function announceLine(
  target: Target,
  path: MiaPathKind,
  auto: boolean,
  attacks: readonly string[],
  records: number,
  estimate: { target: number; reference: number },
): string {
  const why = (lacks: string) => (auto ? `: ${target.info.id} gives no ${lacks}` : "");
  const how =
    path === "prompt"
      ? "prompt logprobs"
      : path === "teacher-forced"
        ? `teacher-forced fallback${why("prompt logprobs")}, one request per token`
        : `sampling (SaMIA${why("logprobs")})`;
  const cost = `about ${estimate.target.toLocaleString("en-US")} requests on the target${estimate.reference ? ` and ${estimate.reference.toLocaleString("en-US")} on the reference` : ""}`;
  return `membership inference: ${records} records by ${how}; attacks ${attacks.join(", ")}; ${cost}`;
}

interface RunInput {
  readonly records: readonly MiaRecord[];
  readonly keyOf: (rec: MiaRecord) => string;
  readonly plan: MiaPlan;
  readonly path: MiaPathKind;
  readonly attacks: readonly string[];
  readonly seed: number;
  readonly target: Target;
  readonly reference?: Target;
  readonly selection?: AttackSelection;
  readonly copies: number;
  readonly charsPerToken: number;
  readonly onScored?: OnScored;
}

async function runRecords(ctx: StageContext, input: RunInput): Promise<StageResult> {
  const previous = new Map<string, MiaScoreEvent>();
  for (const e of ctx.previous) if (e.type === "mia.score") previous.set(e.journalKey, e);
  const keys = input.records.map(input.keyOf);
  const todo = input.records.filter((_, i) => !previous.has(keys[i]!));
  const progress = {
    total: input.records.length,
    done: input.records.length - todo.length,
    errors: 0,
    requests: 0,
    tokens: 0,
    hits: 0,
  };
  ctx.onProgress?.({ ...progress });
  const rctx: RecordContext | undefined =
    input.selection && input.path !== "samia"
      ? {
          target: scorerFor(
            input.target,
            ctx.schedulers.get("target")!,
            input.path,
            input.plan.topLogprobs,
            input.charsPerToken,
          ),
          ...(input.reference
            ? {
                reference: scorerFor(
                  input.reference,
                  ctx.schedulers.get("reference")!,
                  input.path,
                  input.plan.topLogprobs,
                ),
              }
            : {}),
          selection: input.selection,
          copies: input.copies,
          rng: new Rng(input.seed, "mia"),
        }
      : undefined;
  const fresh: MiaScoreEvent[] = [];
  let stop: StageResult | undefined;
  const onCall = (c: { ok: boolean; tries: number; tokens: number }) => {
    progress.requests += c.tries;
    progress.tokens += c.tokens;
  };
  const limit = pLimit(Math.max(1, ctx.prepared.plan.concurrency));
  await Promise.all(
    todo.map((rec) =>
      limit(async () => {
        if (stop || ctx.signal?.aborted) return;
        const tallies = { target: new CallTally(onCall), reference: new CallTally(onCall) };
        const scored = await scoreOne(rec, input, rctx, tallies, ctx.schedulers.get("target")!);
        const halted = tallies.target.stop ?? tallies.reference.stop;
        if (halted) {
          stop ??= {
            reason: halted.reason ?? "interrupted",
            ...(halted.fatal ? { fatal: halted.fatal } : {}),
            ...(halted.budget ? { budget: true } : {}),
          };
          return;
        }
        progress.done++;
        if (scored === undefined) {
          progress.errors++;
          ctx.onProgress?.({ ...progress });
          return;
        }
        const e = event<MiaScoreEvent>({
          type: "mia.score",
          record: rec.id,
          label: rec.label,
          sha256: sha256(rec.text),
          path: scored.path,
          tokens: scored.tokens,
          requests: tallies.target.requests,
          scores: scored.scores,
          journalKey: input.keyOf(rec),
          ...(scored.approximate.length ? { approximate: scored.approximate } : {}),
          usage: {
            target: { requests: tallies.target.requests, tokens: tallies.target.tokens },
            ...(input.reference
              ? { reference: { requests: tallies.reference.requests, tokens: tallies.reference.tokens } }
              : {}),
          },
        });
        fresh.push(e);
        await ctx.emit(e);
        if (scored.input && input.onScored) await input.onScored(rec, scored as RecordScores);
        ctx.onProgress?.({ ...progress });
      }),
    ),
  );
  if (stop) return stop;
  if (ctx.signal?.aborted) return { reason: "interrupted" };
  const byKey = new Map(previous);
  for (const e of fresh) byKey.set(e.journalKey, e);
  const scoredEvents = keys.map((k) => byKey.get(k)).filter((e): e is MiaScoreEvent => e !== undefined);
  for (const e of resultEvents(scoredEvents, input.attacks, input.seed, input.plan)) await ctx.emit(e);
  return {};
}

async function scoreOne(
  rec: MiaRecord,
  input: RunInput,
  rctx: RecordContext | undefined,
  tallies: { target: CallTally; reference: CallTally },
  scheduler: Scheduler,
): Promise<(Omit<RecordScores, "input"> & { input?: AttackInput }) | undefined> {
  if (rctx) return scoreRecord(rec, rctx, tallies);
  const scores = await samiaScores(input.target, rec.text, {
    scheduler,
    samples: input.plan.samples,
    rng: new Rng(input.seed, `mia/samia/${rec.label}/${rec.id}`),
    tally: tallies.target,
  });
  return scores ? { scores, approximate: [], path: SAMIA_PATH, tokens: 0 } : undefined;
}

/** One `mia.result` per attack over the scored records (path: the most common one among them). */
export function resultEvents(
  scored: readonly MiaScoreEvent[],
  attacks: readonly string[],
  seed: number,
  plan: Pick<MiaPlan, "resamples" | "minNonMembersFactor">,
): MiaResultEvent[] {
  const out: MiaResultEvent[] = [];
  const path = mostCommon(scored.map((e) => e.path)) ?? "unknown";
  for (const id of attacks) {
    const pick = (label: MiaScoreEvent["label"]) =>
      scored.filter((e) => e.label === label).map((e) => e.scores[id] ?? null);
    const m = attackMetrics(
      id,
      path,
      scored.some((e) => e.approximate?.includes(id)),
      { members: pick("member"), nonMembers: pick("non-member") },
      new Rng(seed),
      { resamples: plan.resamples, minNonMembersFactor: plan.minNonMembersFactor },
    );
    if (!m) continue;
    out.push(
      event<MiaResultEvent>({
        type: "mia.result",
        attack: id,
        path: m.path,
        approximate: m.approximate,
        members: m.members,
        nonMembers: m.nonMembers,
        auc: m.auc,
        aucLow: m.aucLow ?? m.auc,
        aucHigh: m.aucHigh ?? m.auc,
        tprAt1: m.tprAt1,
        tprAt01: m.tprAt01,
        balancedAccuracy: m.balancedAccuracy,
        roc: m.roc,
      }),
    );
  }
  return out;
}

function mostCommon(xs: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
