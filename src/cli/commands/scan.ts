import type { Argv, CommandModule } from "yargs";
import { exposureStage } from "../../canary/exposure-stage.js";
import { loadConfigFile, resolveScanPlan, type ScanFlags, type ScanPlan } from "../../core/config.js";
import type { PreparedScan } from "../../core/runner.js";
import type { ScanStage } from "../../core/stage.js";
import { miaStage } from "../../mia/stage.js";
import { renderConsole } from "../../report/console.js";
import type { ReportEvent } from "../../report/events.js";
import { EXIT, finalizeSummary, parseScanGates } from "../../report/finalize.js";
import { checkBaseline, writeScanReports } from "../baseline.js";
import { outcome } from "../exit.js";
import { miaResults, miaTable } from "../mia-output.js";
import { resumedPlan, targetOptions } from "../run-options.js";
import { runPlan } from "../run-plan.js";

interface ScanArgs extends ScanFlags {
  config?: string;
  resume?: string;
  json?: boolean;
  progress?: boolean;
}

function builder(y: Argv): Argv<ScanArgs> {
  return targetOptions(y)
    .usage(
      "$0 scan [options]\n\nProbe a model for training-data leakage and write a report.\n" +
        "With no target, scans the built-in demo: a small model that memorized planted canaries, against its base model as control.",
    )
    .option("config", { type: "string", describe: "YAML/JSON config file (flags override it)" })
    .option("control-model", {
      type: "string",
      describe: "Control model (e.g. the base the fine-tune came from); same family",
    })
    .option("control-base-url", { type: "string", describe: "Base URL of the control target" })
    .option("probe", {
      type: "string",
      array: true,
      describe: "Probe id (repeatable); default: all. See `memscan list`",
    })
    .option("documents", {
      type: "string",
      array: true,
      describe: "Your documents: JSONL with a `text` field, or text files",
    })
    .option("index", {
      type: "string",
      describe: "Corpus index (memscan index build) the corpus detector searches; config key corpusIndex",
    })
    .option("canaries", {
      type: "string",
      describe: "Canary manifest (memscan JSONL or the lab's canaries.jsonl)",
    })
    .option("out", { type: "string", describe: "Reports folder", defaultDescription: "./reports" })
    .option("json", { type: "boolean", describe: "Print the run summary as JSON on stdout" })
    .option("resume", {
      type: "string",
      describe: "Finish an interrupted run (its folder) without re-sending completed requests",
    })
    .option("concurrency", {
      type: "number",
      describe: "Requests in flight per target",
      defaultDescription: "4",
    })
    .option("rpm", { type: "number", describe: "Requests per minute per target" })
    .option("tpm", { type: "number", describe: "Tokens per minute per target" })
    .option("max-requests", {
      type: "number",
      describe:
        "Request budget per target for the whole run, retries included (a resumed start counts what earlier starts sent; raise it with --resume ... --max-requests N)",
    })
    .option("max-tokens", {
      type: "number",
      describe: "Token budget per target for the whole run (prompt + completion, by the server's usage)",
    })
    .option("timeout-ms", { type: "number", describe: "Per-request timeout", defaultDescription: "120000" })
    .option("max-tries", {
      type: "number",
      describe: "Tries per request in all (429/5xx/timeouts/resets are retried; auth and quota errors never)",
      defaultDescription: "4",
    })
    .option("seed", { type: "number", describe: "Seed for every sampling decision", defaultDescription: "1" })
    .option("reveal", {
      type: "boolean",
      describe: "Write leaked text into reports instead of masked hashes",
    })
    .option("fail-on", {
      type: "string",
      array: true,
      describe: 'Gate, e.g. "findings>0", "canary-leaks>=1", "excess-hit-rate>0.05" (exit 1 when met)',
      defaultDescription: '"findings>0"',
    })
    .option("format", {
      type: "string",
      array: true,
      describe: "Report formats to write: json, md, html, junit, sarif",
      defaultDescription: "json md",
    })
    .option("baseline", {
      type: "string",
      describe: 'Earlier run folder to compare with; enables regression gates, e.g. --fail-on "new-leaks>0"',
    })
    .option("progress", {
      type: "boolean",
      default: true,
      describe: "Show progress on stderr (--no-progress to hide)",
    })
    .example("$0 scan", "Scan the built-in demo model (fine-tune vs its base)")
    .example(
      "$0 scan --target openai --base-url http://127.0.0.1:8000/v1 --model my-ft --control-model my-base --canaries canaries.jsonl",
      "Scan a vLLM/llama.cpp/Ollama server, with the base model as control",
    )
    .example(
      '$0 scan --baseline reports/20261122T101500Z-ab12cd --fail-on "new-leaks>0" --format html sarif',
      "Compare with an earlier run and fail on leaks it did not have",
    )
    .example(
      "$0 scan --resume reports/20261122T101500Z-ab12cd",
      "Finish an interrupted scan",
    ) as Argv<ScanArgs>;
}

async function planFor(
  args: ScanArgs,
): Promise<{ plan: ScanPlan; previous?: ReportEvent[]; runDir?: string }> {
  if (!args.resume) {
    const file = args.config ? await loadConfigFile(args.config) : undefined;
    return { plan: resolveScanPlan(file, args) };
  }
  // Budgets and limits may be changed on resume; what defines the attempts (target, probes, seed) may not.
  return resumedPlan(args.resume, args, () => true, "memscan scan");
}

async function handler(args: ScanArgs): Promise<void> {
  const { plan, previous, runDir: resumeDir } = await planFor(args);
  parseScanGates(plan.failOn);
  await checkBaseline(plan);
  const { runDir, result, events } = await runPlan({
    plan,
    ...(previous ? { previous } : {}),
    ...(resumeDir ? { resumeDir } : {}),
    progress: args.progress !== false,
    stages: (prepared) => scanStages(plan, prepared),
  });
  const summary = finalizeSummary(events, plan.failOn);
  const reports = await writeScanReports(plan, runDir, events);
  if (args.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const mia = miaResults(events).attacks;
    const miaLines = mia.length ? ["membership inference:", ...miaTable(mia, []), ""] : [];
    process.stdout.write(`${renderConsole(summary, runDir, miaLines)}\n${reports.text}`);
  }
  if (result.status !== "completed") {
    const why = result.fatal
      ? `the target stopped: ${result.fatal.message}`
      : (result.reason ?? "interrupted");
    const raise = result.budget ? " --max-requests <more> (or --max-tokens <more>)" : "";
    process.stderr.write(
      `memscan: run stopped early (${why}). Finished work is kept; resume with:\n  memscan scan --resume ${runDir}${raise}\n`,
    );
  }
  outcome.code = summary.exitCode === 0 && reports.diff?.exitCode === 1 ? EXIT.findings : summary.exitCode;
}

/** The stages after the probes that the plan asks for: canary exposure, then membership inference. */
async function scanStages(plan: ScanPlan, prepared: PreparedScan): Promise<ScanStage[]> {
  const stages: ScanStage[] = [];
  if (plan.exposure) stages.push(await exposureStage(plan.exposure, prepared));
  if (plan.mia) stages.push(await miaStage(plan.mia, prepared));
  return stages;
}

export const scanCommand: CommandModule<object, ScanArgs> = {
  command: "scan",
  describe: "Scan a model for training-data leakage (default: the built-in demo model)",
  builder,
  handler,
};
