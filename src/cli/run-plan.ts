import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ScanPlan } from "../core/config.js";
import { closeTargets, prepareScan } from "../core/prepare.js";
import { type ExecuteResult, executeScan, type PreparedScan } from "../core/runner.js";
import type { ScanStage } from "../core/stage.js";
import type { ReportEvent } from "../report/events.js";
import { EVENTS_FILE, readEvents } from "../report/read.js";
import { JsonlSink } from "../report/sink.js";
import { progressReporter } from "./progress.js";

/** What `runPlan` needs: the plan, an earlier start's events and folder on resume, and the stages. */
export interface RunPlanOptions {
  readonly plan: ScanPlan;
  readonly previous?: readonly ReportEvent[];
  readonly resumeDir?: string;
  /** Show a progress bar on stderr. */
  readonly progress: boolean;
  /** Run no probes, only the stages (`canary exposure`, `mia`). */
  readonly stagesOnly?: boolean;
  /** Build the stages after the probes from the connected targets (validated before anything is written). */
  readonly stages?: (prepared: PreparedScan) => Promise<readonly ScanStage[]>;
}

/** A finished (or stopped) run: its folder, how it ended, and every event of every start. */
export interface RunPlanResult {
  readonly runDir: string;
  readonly result: ExecuteResult;
  readonly events: readonly ReportEvent[];
}

/**
 * Everything the run commands share (scan, canary exposure, mia): connect and validate, build the stages,
 * open the run folder's journal, run under Ctrl-C handling (first press stops cleanly and keeps the
 * journal resumable, the second quits), close the targets. Nothing is written when preparing fails.
 */
export async function runPlan(o: RunPlanOptions): Promise<RunPlanResult> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(
      "\nStopping: cancelling the requests in flight and closing the log (resumable); press Ctrl-C again to quit at once.\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    const runId = o.resumeDir ? basename(o.resumeDir) : undefined;
    const connected = await prepareScan(o.plan, { ...(runId ? { runId } : {}), signal: controller.signal });
    const prepared = o.stagesOnly ? { ...connected, probes: [] } : connected;
    let stages: readonly ScanStage[];
    try {
      stages = o.stages ? await o.stages(prepared) : [];
    } catch (err) {
      await closeTargets(prepared.targets);
      throw err;
    }
    // what a costly stage will spend, before the first request
    for (const s of stages) if (s.announce) process.stderr.write(`${s.announce}\n`);
    const runDir = o.resumeDir ?? join(o.plan.out, prepared.runId);
    await mkdir(runDir, { recursive: true });
    const sink = new JsonlSink(join(runDir, EVENTS_FILE));
    const bar = o.progress ? progressReporter(process.stderr, process.stderr.isTTY === true) : undefined;
    let result: ExecuteResult;
    try {
      result = await executeScan(prepared, {
        sink,
        ...(o.previous ? { previous: o.previous } : {}),
        signal: controller.signal,
        stages,
        ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
      });
    } finally {
      bar?.done();
      await sink.close();
      await closeTargets(prepared.targets);
    }
    return { runDir, result, events: await readEvents(runDir) };
  } finally {
    process.off("SIGINT", onSigint);
  }
}
