import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { type AttackMetrics, attackJson, attackMetrics } from "../../mia/attack-metrics.js";
import type { ScoreReport } from "../../mia/metrics.js";
import { evaluateMiaGate, type GateOutcome, parseMiaGate } from "../../mia/mia-gate.js";
import { OFFLINE_PATH, readScoresInput, type ScoresInput } from "../../mia/offline-format.js";
import { minNonMembers } from "../../mia/tpr-at-fpr.js";
import { EXIT } from "../../report/finalize.js";
import { outcome } from "../exit.js";
import { attackList } from "./mia-score.js";

interface MetricsArgs {
  scores: string;
  attacks?: string[];
  seed: number;
  resamples: number;
  "min-non-members-factor": number;
  "fail-on"?: string[];
  json?: boolean;
}

/** Options of `offlineMetrics`. */
export interface OfflineMetricsOptions {
  /** Attacks to evaluate, in this order (default: every attack in the input, in order of appearance). */
  readonly attacks?: readonly string[];
  readonly seed?: number;
  readonly resamples?: number;
  readonly minNonMembersFactor?: number;
  readonly failOn?: readonly string[];
}

/** An attack in the input that no metric could be computed for. */
export interface UnmeasuredAttack {
  readonly attack: string;
  readonly reason: string;
}

/** What `memscan mia metrics` computes. */
export interface OfflineMetrics {
  readonly attacks: readonly AttackMetrics[];
  readonly unmeasured: readonly UnmeasuredAttack[];
  readonly gates: readonly GateOutcome[];
  readonly exitCode: number;
  readonly records: { readonly members: number; readonly nonMembers: number };
  readonly minNonMembersFactor: number;
}

/**
 * Per-attack metrics (`attackMetrics`) of labelled scores and the gates over them. An attack is
 * approximate when any record lists it in `approximate`; its path is the records' `path` (`offline`
 * when none give one; several are joined by `,`).
 *
 * @throws ConfigError for unlabelled records, an unknown `--attacks` id or a bad gate
 */
export function offlineMetrics(input: ScoresInput, options: OfflineMetricsOptions = {}): OfflineMetrics {
  const { records } = input;
  const unlabelled = records.filter((r) => r.label === undefined);
  if (unlabelled.length > 0)
    throw new ConfigError(
      `${unlabelled[0]!.where}: metrics need labels; add "label": "member"|"non-member" (${unlabelled.length} of ${records.length} records have none)`,
    );
  const inInput = [...new Set(records.flatMap((r) => Object.keys(r.scores)))];
  const ids = options.attacks?.length ? [...new Set(options.attacks)] : inInput;
  for (const id of ids)
    if (!inInput.includes(id))
      throw new ConfigError(
        `Expected --attacks among the attacks in ${input.source} (${inInput.join(", ") || "none"}), got \`${id}\``,
      );
  const gates = (options.failOn ?? []).map((g) => parseMiaGate(g, ids));
  const factor = options.minNonMembersFactor ?? 10;
  const rng = new Rng(options.seed ?? 1);
  const members = records.filter((r) => r.label === "member");
  const nonMembers = records.filter((r) => r.label === "non-member");
  const attacks: AttackMetrics[] = [];
  const unmeasured: UnmeasuredAttack[] = [];
  for (const id of ids) {
    const scores = {
      members: members.map((r) => r.scores[id] ?? null),
      nonMembers: nonMembers.map((r) => r.scores[id] ?? null),
    };
    const used = records.filter((r) => typeof r.scores[id] === "number");
    const paths = [...new Set(used.map((r) => r.path ?? OFFLINE_PATH))];
    const approximate = records.some((r) => r.approximate.includes(id));
    const m = attackMetrics(id, paths.join(",") || OFFLINE_PATH, approximate, scores, rng, {
      ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
      minNonMembersFactor: factor,
    });
    if (m) attacks.push(m);
    else unmeasured.push({ attack: id, reason: unmeasuredReason(scores) });
  }
  const reports: Record<string, ScoreReport> = Object.fromEntries(attacks.map((a) => [a.id, a.report]));
  const outcomes = gates.map((g) => evaluateMiaGate(g, reports));
  return {
    attacks,
    unmeasured,
    gates: outcomes,
    exitCode: outcomes.some((g) => g.tripped) ? EXIT.findings : EXIT.clean,
    records: { members: members.length, nonMembers: nonMembers.length },
    minNonMembersFactor: factor,
  };
}

function unmeasuredReason(s: { members: (number | null)[]; nonMembers: (number | null)[] }): string {
  const m = s.members.some((v) => v !== null);
  const n = s.nonMembers.some((v) => v !== null);
  if (!m && !n) return "no record has a score";
  return m ? "no non-member has a score" : "no member has a score";
}

/** `--json` of `memscan mia metrics`. */
export function metricsJson(r: OfflineMetrics) {
  return {
    attacks: r.attacks.map(attackJson),
    unmeasured: r.unmeasured,
    gates: r.gates.map((g) => ({
      gate: g.gate.source,
      tripped: g.tripped,
      value: g.value,
      attack: g.attack,
      ...(g.reason ? { reason: g.reason } : {}),
    })),
    exitCode: r.exitCode,
  };
}

const f3 = (v: number) => v.toFixed(3);

function tprCell(value: number | null, alpha: number, factor: number): string {
  return value === null ? `refused: needs ≥ ${minNonMembers(alpha, factor)} non-members` : f3(value);
}

/** The readable table: one row per attack, then what could not be measured and one line per gate. */
export function metricsTable(r: OfflineMetrics, source: string): string[] {
  const head = ["attack", "AUC [95% CI]", "TPR@1%", "TPR@0.1%", "bal. acc", "members", "non-members"];
  const rows = r.attacks.map((a) => [
    a.approximate ? `${a.id}*` : a.id,
    a.aucLow === null || a.aucHigh === null ? f3(a.auc) : `${f3(a.auc)} [${f3(a.aucLow)}, ${f3(a.aucHigh)}]`,
    tprCell(a.tprAt1, 0.01, r.minNonMembersFactor),
    tprCell(a.tprAt01, 0.001, r.minNonMembersFactor),
    f3(a.balancedAccuracy),
    String(a.members),
    String(a.nonMembers),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: readonly string[]) =>
    row
      .map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const paths = [...new Set(r.attacks.map((a) => a.path))];
  const lines = [
    `scores  ${source}: ${r.records.members} members, ${r.records.nonMembers} non-members; path ${paths.join(", ") || OFFLINE_PATH}`,
    ...(rows.length ? ["", fmt(head), ...rows.map(fmt)] : []),
  ];
  if (r.attacks.some((a) => a.approximate))
    lines.push("* approximate: a score rests on an approximation (e.g. Min-K%++ moments from top-k lists)");
  if (r.attacks.some((a) => a.skipped > 0))
    lines.push(
      `skipped (no score): ${r.attacks
        .filter((a) => a.skipped > 0)
        .map((a) => `${a.id} ${a.skipped}`)
        .join(", ")}`,
    );
  if (r.unmeasured.length)
    lines.push(`not measured: ${r.unmeasured.map((u) => `${u.attack} (${u.reason})`).join(", ")}`);
  for (const g of r.gates) {
    const value =
      g.value === null
        ? `n/a (${g.reason ?? "not measured"})`
        : `${f3(g.value)}${g.attack ? ` (${g.attack})` : ""}`;
    lines.push(`gate ${g.gate.source}: ${value} -> ${g.tripped ? "FAIL" : "pass"}`);
  }
  return lines;
}

function checkNumber(name: string, v: number, ok: (v: number) => boolean, what: string): void {
  if (!ok(v)) throw new ConfigError(`Expected --${name} to be ${what}, got ${v}`);
}

export const miaMetricsCommand: CommandModule<object, MetricsArgs> = {
  command: "metrics <scores>",
  describe: "Offline: AUC, TPR@1%/0.1% FPR and balanced accuracy from labelled attack scores",
  builder: (y: Argv) =>
    y
      .usage(
        "$0 mia metrics <scores.jsonl | run folder> [options]\n\n" +
          "Compute each attack's membership-inference metrics from labelled scores: ROC AUC with a stratified " +
          "bootstrap 95% interval, TPR at 1% and 0.1% FPR (refused, with the reason, when there are fewer than " +
          "about 10/FPR non-members), balanced accuracy, and the member/non-member counts. Reads a scores file " +
          "(`memscan mia score` output, or your own: README.md, section Offline MIA formats) or a `memscan mia` " +
          "run folder / its events.jsonl (its mia.score events), so results from elsewhere can be checked and " +
          "re-analysed. Every record needs a label. With --fail-on, exits 1 when a gate trips.",
      )
      .positional("scores", {
        type: "string",
        demandOption: true,
        describe: "Scores file (one JSON record per line), or a memscan run folder or its events.jsonl",
      })
      .option("attacks", {
        type: "string",
        array: true,
        describe: "Attacks to evaluate, comma-separated or repeated",
        defaultDescription: "every attack in the input",
      })
      .option("seed", {
        type: "number",
        default: 1,
        describe: "Seed of the bootstrap resampling: the same seed gives the same intervals",
      })
      .option("resamples", {
        type: "number",
        default: 1000,
        describe: "Bootstrap resamples for the 95% intervals; 0 skips the intervals",
      })
      .option("min-non-members-factor", {
        type: "number",
        default: 10,
        describe: "TPR@α is refused unless non-members ≥ ceil(factor/α) (10 → 1000 for 1%, 10000 for 0.1%)",
      })
      .option("fail-on", {
        type: "string",
        array: true,
        describe:
          'Gate, repeatable: [<attack>:]<metric><op><number>, metric auc, balanced-accuracy or tpr@<percent>%, e.g. "auc>0.6" (max over attacks), "loss:auc>0.6", "tpr@1%>0.05"; exit 1 when one trips (an unmeasurable value never trips)',
      })
      .option("json", {
        type: "boolean",
        describe: 'Print {"attacks": [...], "unmeasured": [...], "gates": [...], "exitCode": n} as JSON',
      })
      .example("$0 mia metrics scores.jsonl", "The table for every attack in the file")
      .example(
        '$0 mia metrics scores.jsonl --attacks loss,min-k --fail-on "auc>0.6" --json',
        "Two attacks as JSON; exit 1 when either has AUC over 0.6",
      )
      .example(
        "$0 mia metrics reports/<run> --resamples 5000 --seed 7",
        "Re-analyse a memscan mia run",
      ) as Argv<MetricsArgs>,
  handler: async (args) => {
    checkNumber("seed", args.seed, Number.isInteger, "an integer");
    checkNumber("resamples", args.resamples, (v) => Number.isInteger(v) && v >= 0, "an integer ≥ 0");
    checkNumber("min-non-members-factor", args["min-non-members-factor"], (v) => v > 0, "a number > 0");
    const attacks = attackList(args.attacks);
    // Parse the gates before reading: a typo should not wait for the input.
    for (const g of args["fail-on"] ?? []) parseMiaGate(g);
    const input = await readScoresInput(args.scores);
    const result = offlineMetrics(input, {
      ...(attacks ? { attacks } : {}),
      seed: args.seed,
      resamples: args.resamples,
      minNonMembersFactor: args["min-non-members-factor"],
      failOn: args["fail-on"] ?? [],
    });
    if (args.json) process.stdout.write(`${JSON.stringify(metricsJson(result), null, 2)}\n`);
    else process.stdout.write(`${metricsTable(result, input.source).join("\n")}\n`);
    outcome.code = result.exitCode;
  },
};
