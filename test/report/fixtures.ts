/**
 * Event fixtures that follow the contract types in src/report/events.ts: the MIA stage's `mia.score` /
 * `mia.result` and the exposure stage's `canary.exposure`, plus small scan logs. Metrics are computed from
 * the scores with the real src/mia code, so a fixture is internally consistent.
 */

import { sha256 } from "../../src/core/hash.js";
import { Rng } from "../../src/core/rng.js";
import { emptyCapabilities, type TargetInfo } from "../../src/core/types.js";
import { evaluateScores, rocCurve } from "../../src/mia/index.js";
import type {
  AttemptEvent,
  CanaryExposureEvent,
  MiaResultEvent,
  MiaScoreEvent,
  ReportEvent,
  VerdictEvent,
} from "../../src/report/events.js";

const T = "2026-11-22T10:15:00.000Z";
const base = { v: 1 as const, time: T };

/** Box–Muller normal draw. */
function normal(r: Rng): number {
  const u = Math.max(1e-12, r.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

export interface MiaFixtureOptions {
  readonly seed?: number;
  /** Member score shift over non-members, per attack (in standard deviations). */
  readonly shifts?: Readonly<Record<string, number>>;
  readonly members?: number;
  readonly nonMembers?: number;
  /** Record ids/texts: the same `textSeed` gives the same record hashes (pairable across runs). */
  readonly textSeed?: number;
}

/** `mia.score` events for synthetic records and the matching `mia.result` per attack. */
export function miaEvents(opts: MiaFixtureOptions = {}): (MiaScoreEvent | MiaResultEvent)[] {
  const shifts = opts.shifts ?? { loss: 1.5, zlib: 0.8 };
  const r = new Rng(opts.seed ?? 1, "mia-fixture");
  const nm = opts.members ?? 100;
  const nn = opts.nonMembers ?? 100;
  const records: MiaScoreEvent[] = [];
  for (let i = 0; i < nm + nn; i++) {
    const label = i < nm ? ("member" as const) : ("non-member" as const);
    const scores: Record<string, number | null> = {};
    for (const [attack, shift] of Object.entries(shifts))
      scores[attack] = normal(r) + (label === "member" ? shift : 0);
    const id = `support-${String(i).padStart(4, "0")}`;
    records.push({
      ...base,
      type: "mia.score",
      record: id,
      label,
      sha256: sha256(`${opts.textSeed ?? 0}:${id}`),
      path: "gguf",
      tokens: 120,
      requests: 1,
      scores,
      journalKey: sha256(`${opts.seed}:${id}`),
    });
  }
  const results: MiaResultEvent[] = Object.keys(shifts).map((attack) => {
    const m = records.filter((x) => x.label === "member").map((x) => x.scores[attack] as number);
    const n = records.filter((x) => x.label === "non-member").map((x) => x.scores[attack] as number);
    const rep = evaluateScores(m, n, new Rng(1), { resamples: 200 });
    return {
      ...base,
      type: "mia.result",
      attack,
      path: "gguf",
      approximate: false,
      members: m.length,
      nonMembers: n.length,
      auc: rep.auc,
      aucLow: rep.aucInterval!.low,
      aucHigh: rep.aucInterval!.high,
      tprAt1: rep.tprAtFpr[0]!.tpr.value,
      tprAt01: rep.tprAtFpr[1]!.tpr.value,
      balancedAccuracy: rep.balancedAccuracy,
      roc: rocCurve(m, n).map((p) => [p.fpr, p.tpr] as const),
    };
  });
  return [...records, ...results];
}

/** `canary.exposure` events shaped like the lab's ground truth (mild-like when `mild`). */
export function exposureEvents(opts: { mild?: boolean } = {}): CanaryExposureEvent[] {
  const counts = [1, 1, 2, 2, 4, 4, 8, 8, 16, 16, 0, 0];
  const mild = [0.1, 3.2, 1.0, 2.1, 0.4, 2.7, 4.6, 3.7, 15.1, 20.8, 0.7, 2.7];
  return counts.map((insertCount, i) => {
    const x = opts.mild ? mild[i]! : insertCount === 0 ? [0.7, 2.7][i - 10]! : 29.9;
    return {
      ...base,
      type: "canary.exposure",
      canaryId: `support-canary-${String(i).padStart(2, "0")}`,
      insertCount,
      control: insertCount === 0,
      method: "rank",
      spaceBits: 29.897,
      references: 1000,
      rank: Math.max(1, Math.round(1001 / 2 ** Math.min(x, 9.97))),
      exposureInterpolated: Math.min(x, Math.log2(1000)),
      exposureExtrapolated: x,
    };
  });
}

export function info(id: string, model: string): TargetInfo {
  return {
    id,
    family: "gguf",
    model,
    endpoint: `/models/${model}.gguf`,
    capabilities: { ...emptyCapabilities(), completion: true, tokenLogprobs: true, promptLogprobs: true },
    notes: { completion: "in-process generation" },
    maxTopLogprobs: 20,
  };
}

export interface LeakSpec {
  readonly probe?: string;
  readonly subject: string;
  readonly kind?: VerdictEvent["finding"];
  readonly exact?: boolean;
  readonly excerpt?: string;
  readonly role?: "target" | "control";
  readonly attempt?: string;
  readonly output?: string;
}

/**
 * A small scan log: run.started, capabilities, `attempts` ok attempts per probe on target and control, and
 * one verdict per leak (on its own attempt).
 */
export function scanEvents(opts: {
  runId?: string;
  leaks?: readonly LeakSpec[];
  probes?: readonly string[];
  attempts?: number;
  failOn?: readonly string[];
  reveal?: boolean;
  status?: "completed" | "interrupted";
}): ReportEvent[] {
  const runId = opts.runId ?? "20261122T101500Z-aaaaaa";
  const probes = opts.probes ?? ["extraction.canary"];
  const n = opts.attempts ?? 8;
  const evs: ReportEvent[] = [
    {
      ...base,
      type: "run.started",
      runId,
      memscanVersion: "0.1.0",
      seed: 1,
      resumed: false,
      plan: {
        target: { family: "gguf", model: "/models/overfit.gguf" },
        canaries: `${process.cwd()}/canaries/demo/canaries.jsonl`,
        documents: [],
        failOn: opts.failOn ?? ["findings>0"],
        reveal: opts.reveal ?? false,
        seed: 1,
      },
    },
    { ...base, type: "target.capabilities", role: "target", info: info("gguf:overfit", "overfit") },
    { ...base, type: "target.capabilities", role: "control", info: info("gguf:base", "base") },
  ];
  const leaks = opts.leaks ?? [];
  for (const role of ["target", "control"] as const) {
    for (const probe of probes) {
      for (let i = 0; i < n; i++) {
        const key = `a${i}`;
        const mine = leaks.filter(
          (l) =>
            (l.role ?? "target") === role &&
            (l.probe ?? probes[0]) === probe &&
            (l.attempt ?? `a${leaks.indexOf(l) % n}`) === key,
        );
        for (const l of mine) {
          const excerpt = l.excerpt ?? "[redacted 17 chars sha256:1a2b3c4d5e6f]";
          const start = l.output ? Math.max(0, l.output.indexOf(excerpt)) : 4;
          evs.push({
            ...base,
            type: "verdict",
            role,
            probe,
            attempt: key,
            detector: l.kind === "pii" ? "pii" : l.kind === "document" ? "prefix-continuation" : "canary",
            finding: l.kind ?? "canary",
            score: l.exact === false ? 0.89 : 1,
            exact: l.exact !== false,
            subject: l.subject,
            evidence: [
              {
                start,
                end: start + (l.excerpt ? excerpt.length : 17),
                excerpt,
                sha256: sha256(`raw:${l.subject}`),
                source: { kind: "canary", canaryId: l.subject },
                ...(l.exact === false ? { distance: 0.111 } : {}),
              },
            ],
          });
        }
        const output = mine.find((l) => l.output)?.output;
        const att: AttemptEvent = {
          ...base,
          type: "attempt",
          role,
          probe,
          attempt: key,
          journalKey: sha256(`${role}:${probe}:${key}`),
          mode: "completion",
          params: { maxTokens: 16, temperature: 0 },
          meta: { kind: "canary", canaryId: "support-canary-00", sample: i },
          status: "ok",
          tries: 1,
          output: {
            chars: output?.length ?? 10,
            sha256: sha256(output ?? "x"),
            ...(output ? { text: output } : {}),
          },
          usage: { promptTokens: 10, completionTokens: 6 },
          ms: 100,
          verdicts: mine.length,
        };
        evs.push(att);
      }
    }
  }
  evs.push({ ...base, type: "run.finished", status: opts.status ?? "completed" });
  return evs;
}
