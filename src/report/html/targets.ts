import type { TargetInfo } from "../../core/types.js";
import type { ReportModel } from "../model.js";
import { esc } from "./escape.js";
import { raw, section, table } from "./table.js";

function capabilities(label: string, info: TargetInfo): string {
  const rows = Object.entries(info.capabilities).map(([k, v]) => [
    k,
    raw(v ? '<span class="pass-text">yes</span>' : '<span class="muted">no</span>'),
    info.notes[k as keyof typeof info.notes] ?? "",
  ]);
  return (
    `<h3>${esc(label)}: <code>${esc(info.id)}</code></h3>` +
    `<p>Endpoint: <code>${esc(info.endpoint)}</code>; largest top-logprobs accepted: ${info.maxTopLogprobs}</p>` +
    table(["capability", "present", "how it was judged"], rows, { id: `capabilities-${label.toLowerCase()}` })
  );
}

function planValue(v: unknown): string {
  if (v === undefined) return "–";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** Capabilities probed on each target, and the run parameters from the plan (secrets were never written). */
export function renderTargets(m: ReportModel): string {
  const s = m.summary;
  const roles = [
    ...(s.target.target ? [capabilities("Target", s.target.target)] : []),
    ...(s.control?.target ? [capabilities("Control", s.control.target)] : []),
  ];
  const params = Object.entries(m.plan).map(([k, v]) => [k, raw(`<code>${esc(planValue(v))}</code>`)]);
  const run = [
    ["run id", s.runId],
    ["status", s.status],
    ["seed", s.seed],
    ["memscan", m.memscanVersion],
    ["started", m.startedAt ?? "–"],
    ["finished", m.finishedAt ?? "–"],
    ["requests (target)", s.target.requests],
    ["tokens (target)", s.target.tokens],
    ...(s.control ? [["requests (control)", s.control.requests] as const] : []),
  ];
  return section(
    "targets",
    "Targets and run parameters",
    roles.join("\n") +
      "<h3>Run</h3>" +
      table(["field", "value"], run, { id: "run-table" }) +
      "<h3>Plan</h3>" +
      table(["parameter", "value"], params, { id: "plan-table" }),
  );
}
