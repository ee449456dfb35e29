import { exposureOf } from "./exposure-view.js";
import type { ReportModel } from "./model.js";
import { mdCell } from "./text.js";

const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? "–" : x.toFixed(d));
const tpr = (x: number | null) => (x === null ? "refused" : `${(x * 100).toFixed(1)}%`);

/**
 * Markdown sections for the MIA and canary-exposure stages, appended to summary.md when the run has their
 * events (the scan table comes from markdown.ts). Every id is escaped.
 */
export function renderStagesMarkdown(m: ReportModel): string {
  const out: string[] = [];
  if (m.exposure.length) {
    out.push(
      "## Canary exposure",
      "",
      "| canary | kind | insertions | method | rank | exposure (interp.) | exposure (extrap.) | ceiling |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...m.exposure.map(
        (e) =>
          `| ${mdCell(e.canaryId)} | ${e.control ? "control" : "planted"} | ${e.insertCount} | ${e.method} | ${e.rank ?? "–"} | ${f(e.exposureInterpolated, 2)} | ${f(e.exposureExtrapolated, 2)} | ${f(e.spaceBits, 1)} |`,
      ),
      "",
      `Max exposure of a planted canary: ${f(Math.max(...m.exposure.filter((e) => !e.control).map((e) => exposureOf(e) ?? 0)), 1)} bits.`,
      "",
    );
  }
  if (m.mia.attacks.length) {
    out.push(
      "## Membership inference",
      "",
      "| attack | path | members | non-members | AUC | 95% CI | TPR@1% | TPR@0.1% | balanced acc. |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...m.mia.attacks.map(
        ({ result: r }) =>
          `| ${mdCell(r.attack)}${r.approximate ? " (approx.)" : ""} | ${mdCell(r.path)} | ${r.members} | ${r.nonMembers} | ${f(r.auc)} | [${f(r.aucLow)}, ${f(r.aucHigh)}] | ${tpr(r.tprAt1)} | ${tpr(r.tprAt01)} | ${f(r.balancedAccuracy)} |`,
      ),
      "",
    );
  }
  return out.join("\n");
}
