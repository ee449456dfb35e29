import { createWriteStream } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { MIA_PATHS } from "../../core/config-mia.js";
import { DEFAULT_ATTACK_IDS } from "../../mia/attack-set.js";
import { ATTACKS } from "../../mia/attacks/index.js";
import { logprobsLine } from "../../mia/offline-format.js";
import { type MiaStage, miaStage, type OnScored } from "../../mia/stage.js";
import type { ReportEvent } from "../../report/events.js";
import { EXIT, finalizeSummary, parseScanGates } from "../../report/finalize.js";
import { writeScanReports } from "../baseline.js";
import { outcome } from "../exit.js";
import { miaResults, miaTable } from "../mia-output.js";
import { type MiaArgs, miaPlanFor } from "../mia-plan.js";
import { pacingOptions, targetOptions } from "../run-options.js";
import { runPlan } from "../run-plan.js";
import { miaMetricsCommand } from "./mia-metrics.js";
import { miaScoreCommand } from "./mia-score.js";
import { miaSelfPromptCommand } from "./mia-self-prompt.js";

function builder(y0: Argv): Argv<MiaArgs> {
  return targetOptions(pacingOptions(y0))
    .command(miaScoreCommand)
    .command(miaMetricsCommand)
    .command(miaSelfPromptCommand)
    .usage(
      "$0 mia [options]\n\nMembership inference: how well can an attacker tell the texts a model was trained on (--members) from held-out texts of the same kind (--non-members) through its API? Each text is scored by the target (prompt logprobs; else one request per token with top-k logprobs; else sampled continuations, SaMIA), every attack turns the scores into a membership score, and the report gives ROC AUC with a bootstrap 95% interval, TPR at 1% and 0.1% FPR (refused with fewer than about 10/FPR non-members) and balanced accuracy per attack. Gates (--fail-on) set the exit code. With no target, runs the built-in demo: the overfit lab model, its base as reference, 40 + 40 lab records.\n\nOffline: `memscan mia score` (attack scores from per-token logprobs) and `memscan mia metrics` (metrics from labelled scores).",
    )
    .option("config", {
      type: "string",
      describe: "YAML/JSON config (its target, reference and `mia:` section)",
    })
    .option("members", {
      type: "string",
      array: true,
      describe: "Texts the model was trained on (JSONL with a `text` field, or text files)",
    })
    .option("non-members", {
      type: "string",
      array: true,
      describe: "Held-out texts from the same distribution",
    })
    .option("reference-model", {
      type: "string",
      describe: "Reference model for the `reference` (and `spv`) attacks, e.g. the base model; same family",
    })
    .option("reference-base-url", { type: "string", describe: "Base URL of the reference model" })
    .option("attacks", {
      type: "string",
      array: true,
      describe: `Attacks, of ${ATTACKS.map((a) => a.id).join(", ")} (min-k-<percent> sets k)`,
      defaultDescription: `${DEFAULT_ATTACK_IDS.join(" ")} (+ reference with a reference model, + neighbour pv with --perturbations)`,
    })
    .option("k", {
      type: "number",
      describe: "Fraction of lowest-scoring tokens for Min-K% / Min-K%++",
      defaultDescription: "0.2",
    })
    .option("path", {
      choices: MIA_PATHS,
      describe:
        "auto: prompt logprobs, else teacher-forced top-k (one request per token), else sampling (SaMIA)",
    })
    .option("perturbations", {
      type: "number",
      describe: "Perturbed copies per text for neighbour / pv / spv (each one more scoring request)",
      defaultDescription: "0 (off)",
    })
    .option("top-logprobs", {
      type: "number",
      describe: "Top-k asked per position (teacher-forced; Min-K%++ over HTTP)",
      defaultDescription: "5",
    })
    .option("samples", {
      type: "number",
      describe: "Sampled continuations per text (SaMIA path)",
      defaultDescription: "5",
    })
    .option("max-records", {
      type: "number",
      describe: "Score at most this many members and as many non-members",
    })
    .option("resamples", {
      type: "number",
      describe: "Bootstrap resamples for the intervals",
      defaultDescription: "1000",
    })
    .option("min-non-members-factor", {
      type: "number",
      describe: "Refuse TPR@α below ceil(factor/α) non-members",
      defaultDescription: "10",
    })
    .option("save-logprobs", {
      type: "string",
      describe: "Also write every scored text's token logprobs here (input of `mia score`)",
    })
    .option("fail-on", {
      type: "string",
      array: true,
      describe:
        'Gate, e.g. "auc>0.6", "tpr@1%>0.05", "loss:auc>0.7" (one attack); unscoped = max over attacks',
    })
    .option("resume", { type: "string", describe: "Finish an interrupted run (its folder)" })
    .option("out", { type: "string", describe: "Reports folder", defaultDescription: "./reports" })
    .option("format", {
      type: "string",
      array: true,
      describe: "Report files: json, md, html, junit, sarif",
      defaultDescription: "json md",
    })
    .option("seed", {
      type: "number",
      describe: "Seed for perturbations, samples and the bootstrap",
      defaultDescription: "1",
    })
    .option("max-tries", {
      type: "number",
      describe: "Tries per request, first included",
      defaultDescription: "4",
    })
    .option("json", { type: "boolean", describe: "Print the result as JSON on stdout" })
    .option("progress", {
      type: "boolean",
      default: true,
      describe: "Show progress on stderr (--no-progress)",
    })
    .example(
      "$0 mia --target openai --base-url http://127.0.0.1:8000/v1 --model ft --members train.jsonl --non-members heldout.jsonl",
      "Through a vLLM (or `memscan serve`) endpoint with prompt logprobs",
    )
    .example(
      '$0 mia --target gguf --model ft.gguf --reference-model base.gguf --members m.jsonl --non-members n.jsonl --fail-on "auc>0.6"',
      "In process, with the base model as reference; exit 1 when any attack's AUC exceeds 0.6",
    )
    .example("$0 mia --json", "The built-in demo, as JSON") as Argv<MiaArgs>;
}

async function handler(args: MiaArgs): Promise<void> {
  const { plan, previous, runDir: resumeDir } = await miaPlanFor(args);
  parseScanGates(plan.failOn);
  const saved = args.saveLogprobs ? createWriteStream(args.saveLogprobs, { flags: "a" }) : undefined;
  const onScored: OnScored | undefined = saved
    ? (rec, s) => {
        saved.write(`${logprobsLine({ id: rec.id, label: rec.label, input: s.input })}\n`);
      }
    : undefined;
  let stage: MiaStage | undefined;
  const { runDir, result, events } = await runPlan({
    plan,
    ...(previous ? { previous } : {}),
    ...(resumeDir ? { resumeDir } : {}),
    progress: args.progress !== false,
    stagesOnly: true,
    stages: async (prepared) => {
      stage = await miaStage(plan.mia!, prepared, onScored ? { onScored } : {});
      return [stage];
    },
  }).finally(() => saved?.end());
  const summary = finalizeSummary(events, plan.failOn);
  await writeScanReports(plan, runDir, events);
  const mia = miaResults(events);
  if (args.json) {
    const out = {
      runId: summary.runId,
      status: summary.status,
      runDir,
      target: summary.target.target?.id ?? null,
      reference: referenceId(events),
      path: stage?.path ?? mia.attacks[0]?.path ?? null,
      records: mia.records,
      requests: mia.requests,
      attacks: mia.attacks,
      gates: summary.gates,
      exitCode: summary.exitCode,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = [`target  ${summary.target.target?.id ?? "?"}`, ...miaTable(mia.attacks, summary.gates)];
    process.stdout.write(`${[...lines, `report: ${runDir}`].join("\n")}\n`);
  }
  if (result.status !== "completed") {
    const raise = result.budget ? " --max-requests <more>" : "";
    process.stderr.write(
      `memscan: run stopped early (${result.fatal ? `the target stopped: ${result.fatal.message}` : (result.reason ?? "interrupted")}). Scored records are kept; resume with:\n  memscan mia --resume ${runDir}${raise}\n`,
    );
  }
  outcome.code = result.fatal ? EXIT.runtime : summary.exitCode;
}

/** The reference target's id, from its capabilities event (null without one). */
function referenceId(events: readonly ReportEvent[]): string | null {
  for (const e of events) if (e.type === "target.capabilities" && e.role === "reference") return e.info.id;
  return null;
}

export const miaCommand: CommandModule<object, MiaArgs> = {
  command: "mia",
  describe:
    "Membership inference: can an attacker tell training members from held-out texts? (ROC AUC, TPR@low FPR, gates)",
  builder,
  handler,
};
