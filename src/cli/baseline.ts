import type { ScanPlan } from "../core/config.js";
import { ConfigError } from "../core/errors.js";
import { diffRuns } from "../report/diff/compare.js";
import { splitGates } from "../report/diff/gates.js";
import { renderDiffText } from "../report/diff/render.js";
import type { RunDiff } from "../report/diff/types.js";
import type { ReportEvent } from "../report/events.js";
import { writeReports } from "../report/formats.js";
import { buildReportModel } from "../report/model.js";
import { readEvents } from "../report/read.js";

/**
 * Check before a scan starts that regression gates have a baseline and that the baseline is a readable run,
 * so a typo fails in a second, not after an hour of requests.
 */
export async function checkBaseline(plan: ScanPlan): Promise<void> {
  const { diff } = splitGates(plan.failOn);
  if (diff.length && !plan.baseline) {
    throw new ConfigError(
      `Expected --baseline <run folder> for the regression gate(s) ${diff.map((d) => `"${d}"`).join(", ")}, got none; pass the earlier run to compare with.`,
    );
  }
  if (plan.baseline) await readEvents(plan.baseline);
}

/**
 * After a scan: compare with the baseline (when there is one) and write every report format named in the
 * plan. Returns the diff (null without a baseline) and the text to print after the scan's table.
 */
export async function writeScanReports(
  plan: ScanPlan,
  runDir: string,
  events: readonly ReportEvent[],
): Promise<{ diff: RunDiff | null; text: string }> {
  const gates = splitGates(plan.failOn);
  const diff = plan.baseline ? diffRuns(await readEvents(plan.baseline), events, gates.diff) : null;
  const model = buildReportModel(events, { gates: gates.scan, reveal: plan.reveal });
  await writeReports(runDir, model, plan.formats, diff ? { diff } : {});
  return { diff, text: diff ? `${renderDiffText(diff)}\n` : "" };
}
