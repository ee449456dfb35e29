import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { scoresToRows } from "../../canary/exposure-rows.js";
import { exposureFromScores, readScores } from "../../canary/exposure-scores.js";
import { exposureStage } from "../../canary/exposure-stage.js";
import { ConfigError } from "../../core/errors.js";
import { writeFileAtomic } from "../../core/fs.js";
import { evaluateGate } from "../../core/gate.js";
import { exposureConsole } from "../../report/exposure-render.js";
import { exposureMetrics, exposureSection } from "../../report/exposure-summary.js";
import { EXIT, finalizeSummary, parseScanGates } from "../../report/finalize.js";
import { renderMarkdown } from "../../report/markdown.js";
import { outcome } from "../exit.js";
import { gateLines, jsonResult } from "../exposure-output.js";
import { type ExposureArgs, exposurePlanFor } from "../exposure-plan.js";
import { pacingOptions, targetOptions } from "../run-options.js";
import { runPlan } from "../run-plan.js";

function builder(y0: Argv): Argv<ExposureArgs> {
  return targetOptions(pacingOptions(y0))
    .usage(
      "$0 canary exposure [options]\n\nMeasure each canary's exposure (Secret Sharer): its secret's rank among N never-planted reference secrets of the same format, scored under the same prefix; interpolated exposure = log2 N − log2 rank, and a skew-normal extrapolation beyond log2 N. A target without prompt logprobs gets the emission rate instead (method generation). With --scores, computes exposures offline from given perplexities. With no target, measures the built-in demo (the overfit model and its base as control).",
    )
    .option("control-model", { type: "string", describe: "Also measure this model (e.g. the base model)" })
    .option("control-base-url", { type: "string", describe: "Base URL of the control target" })
    .option("manifest", {
      type: "string",
      alias: "canaries",
      describe: "Canary manifest (memscan JSONL, the lab's canaries.jsonl, or a JSON array)",
    })
    .option("references", {
      type: "number",
      describe: "Reference secrets per canary (rank method)",
      defaultDescription: "1000",
    })
    .option("samples", {
      type: "number",
      describe: "Seeded samples per canary (generation method)",
      defaultDescription: "32",
    })
    .option("method", {
      choices: ["auto", "rank", "generation"] as const,
      describe: "auto: rank when the target gives prompt logprobs, else generation",
    })
    .option("measure-control", {
      type: "boolean",
      describe: "Measure the control target too",
      defaultDescription: "true when a control is given",
    })
    .option("scores", {
      type: "string",
      describe: "Offline: exposures from a scores JSON file (format: canaries/README.md); no model",
    })
    .option("config", {
      type: "string",
      describe: "Scan config (its target, canaries and `exposure:` section)",
    })
    .option("resume", { type: "string", describe: "Finish an interrupted run (its folder)" })
    .option("out", { type: "string", describe: "Reports folder", defaultDescription: "./reports" })
    .option("seed", {
      type: "number",
      describe: "Seed for reference draws and samples",
      defaultDescription: "1",
    })
    .option("fail-on", {
      type: "string",
      array: true,
      describe: 'Gate, e.g. "exposure>20": the largest exposure of a planted canary (exit 1 when met)',
    })
    .option("format", {
      type: "string",
      array: true,
      describe: "Files to write: json, md",
      defaultDescription: "json md",
    })
    .option("json", { type: "boolean", describe: "Print the result as JSON on stdout" })
    .option("progress", {
      type: "boolean",
      default: true,
      describe: "Show progress on stderr (--no-progress)",
    })
    .example(
      "$0 canary exposure --target gguf --model ft.gguf --manifest canaries.jsonl --references 1000",
      "Rank exposure of every canary through a local model",
    )
    .example(
      '$0 canary exposure --target openai --base-url http://127.0.0.1:8080/v1 --model ft --manifest c.jsonl --fail-on "exposure>20"',
      "Through an OpenAI-compatible server; exit 1 when a planted canary exceeds 20 bits",
    )
    .example(
      "$0 canary exposure --scores scores.json --json",
      "Check numbers from another tool",
    ) as Argv<ExposureArgs>;
}

async function offline(args: ExposureArgs): Promise<void> {
  if (args.target || args.model || args.baseUrl || args.resume || args.config) {
    throw new ConfigError(
      "Expected --scores alone (offline, no model), got it with --target/--model/--base-url/--config/--resume; drop one",
    );
  }
  const rows = scoresToRows(exposureFromScores(await readScores(args.scores!)));
  const exposure = exposureSection(rows)!;
  const metrics = exposureMetrics(exposure);
  const gates = parseScanGates(args.failOn ?? []).map((g) => evaluateGate(g, metrics[g.metric] ?? null));
  const exitCode = gates.some((g) => g.failed) ? EXIT.findings : EXIT.clean;
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify(jsonResult({ exposure }, { scores: args.scores, metrics, gates, exitCode }), null, 2)}\n`,
    );
  } else process.stdout.write(`${[...exposureConsole(exposure), ...gateLines(gates)].join("\n")}\n`);
  outcome.code = exitCode;
}

async function measure(args: ExposureArgs): Promise<void> {
  const { plan, previous, runDir: resumeDir } = await exposurePlanFor(args);
  parseScanGates(plan.failOn);
  const { runDir, result, events } = await runPlan({
    plan,
    ...(previous ? { previous } : {}),
    ...(resumeDir ? { resumeDir } : {}),
    progress: args.progress !== false,
    stagesOnly: true,
    stages: async (prepared) => [await exposureStage(plan.exposure!, prepared)],
  });
  const summary = finalizeSummary(events, plan.failOn);
  const json = `${JSON.stringify(summary, null, 2)}\n`;
  if (plan.formats.includes("json")) await writeFileAtomic(join(runDir, "summary.json"), json);
  if (plan.formats.includes("md")) await writeFileAtomic(join(runDir, "summary.md"), renderMarkdown(summary));
  const head = {
    runId: summary.runId,
    status: summary.status,
    runDir,
    target: summary.target.target?.id ?? null,
  };
  if (args.json) {
    const extra = {
      ...head,
      metrics: exposureMetrics(summary.exposure),
      gates: summary.gates,
      exitCode: summary.exitCode,
    };
    process.stdout.write(`${JSON.stringify(jsonResult(summary, extra), null, 2)}\n`);
  } else {
    const lines = [
      `target  ${head.target ?? "?"}`,
      ...exposureConsole(summary.exposure),
      ...gateLines(summary.gates),
    ];
    process.stdout.write(`${[...lines, `report: ${runDir}`].join("\n")}\n`);
  }
  if (result.status !== "completed") {
    process.stderr.write(
      `memscan: run stopped early (${result.reason ?? "interrupted"}). Finished canaries are kept; resume with:\n  memscan canary exposure --resume ${runDir}\n`,
    );
  }
  outcome.code = result.fatal ? EXIT.runtime : summary.exitCode;
  if (result.fatal) process.stderr.write(`memscan: target stopped: ${result.fatal.message}\n`);
}

export const canaryExposureCommand: CommandModule<object, ExposureArgs> = {
  command: "exposure",
  describe: "Measure canary exposure through a model (or offline from a scores file)",
  builder,
  handler: (args) => (args.scores ? offline(args) : measure(args)),
};
