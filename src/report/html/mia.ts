import { renderScoreHistogram } from "../charts/histogram.js";
import { renderRocChart } from "../charts/roc.js";
import type { ReportModel } from "../model.js";
import { slug } from "./escape.js";
import { figure, fixed, section, table } from "./table.js";

const pctOrRefused = (x: number | null) =>
  x === null ? "refused (too few non-members)" : `${(x * 100).toFixed(1)}%`;

/** Membership inference: metrics per attack, ROC curves (log FPR) and member / non-member score histograms. */
export function renderMia(m: ReportModel): string {
  const attacks = m.mia.attacks;
  if (attacks.length === 0) {
    return section(
      "mia",
      "Membership inference",
      '<p class="muted">No membership-inference results in this run (add a <code>mia:</code> section to the config).</p>',
    );
  }
  const rows = attacks.map(({ result: r }) => [
    r.attack,
    r.path,
    r.approximate ? "yes" : "no",
    r.members,
    r.nonMembers,
    fixed(r.auc),
    `[${fixed(r.aucLow)}, ${fixed(r.aucHigh)}]`,
    pctOrRefused(r.tprAt1),
    pctOrRefused(r.tprAt01),
    fixed(r.balancedAccuracy),
  ]);
  const nonMembers = Math.max(...attacks.map((a) => a.result.nonMembers));
  const roc = figure(
    renderRocChart(
      attacks.map(({ result: r }) => ({
        label: r.attack,
        roc: r.roc,
        auc: r.auc,
        aucLow: r.aucLow,
        aucHigh: r.aucHigh,
      })),
      { id: "chart-roc", nonMembers },
    ),
    "ROC curves on a log-scale false-positive rate: what an attacker catches while wrongly accusing 1% or 0.1% of non-members. AUC with its bootstrap 95% interval in the legend.",
    table(
      ["attack", "points (fpr, tpr)"],
      attacks.map(({ result: r }) => [
        r.attack,
        r.roc.map(([f, t]) => `(${fixed(f, 4)}, ${fixed(t, 4)})`).join(" "),
      ]),
    ),
  );
  const hists = attacks
    .filter((a) => a.members.length > 0 && a.nonMembers.length > 0)
    .map((a) =>
      figure(
        renderScoreHistogram(a.members, a.nonMembers, {
          id: `chart-hist-${slug(a.result.attack)}`,
          attack: a.result.attack,
        }),
        `Scores of the ${a.result.attack} attack: members against non-members.`,
      ),
    );
  const body = [
    table(
      [
        "attack",
        "scoring path",
        "approximate",
        "members",
        "non-members",
        "AUC",
        "AUC 95% CI",
        "TPR@1% FPR",
        "TPR@0.1% FPR",
        "balanced accuracy",
      ],
      rows,
      { id: "mia-table", numeric: [3, 4, 5, 7, 8, 9] },
    ),
    `<div class="charts">${roc}</div>`,
    hists.length ? `<h3>Score histograms</h3><div class="charts">${hists.join("")}</div>` : "",
  ];
  return section("mia", "Membership inference", body.join("\n"));
}
