import { findingKey, type ReportModel } from "../model.js";
import { type Finding, findingCaveat } from "../summary.js";
import { esc } from "./escape.js";
import { fixed, raw, section, table } from "./table.js";

const MAX_ROWS = 500;
/** Canaries and documents first: the leaks of your own data, then record fields, then PII shapes. */
const KIND_ORDER: Readonly<Record<string, number>> = { canary: 0, document: 1, attribute: 2, pii: 3 };

function evidenceCell(m: ReportModel, f: Finding) {
  const ctx = m.contexts.get(findingKey(f));
  if (!ctx) return raw(`<span class="evidence">${esc(f.evidence.excerpt)}</span>`);
  return raw(
    `<span class="evidence">…${esc(ctx.before)}<mark>${esc(ctx.match)}</mark>${esc(ctx.after)}…</span>`,
  );
}

/**
 * The evidence table: one row per leaked subject and probe. Evidence is masked (length and hash) unless the
 * run stored raw text (--reveal at scan time) and the report was asked to reveal it.
 */
export function renderFindings(m: ReportModel): string {
  const fs = [...m.summary.target.findings].sort(
    (a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9),
  );
  const note = m.revealed
    ? '<p class="fail-text">Raw leaked text is shown (--reveal). Do not share this file.</p>'
    : '<p class="muted">Leaked text is masked: each excerpt shows its length and a SHA-256 prefix. Re-render with <code>--reveal</code> from a run scanned with <code>--reveal</code> to see it.</p>';
  if (fs.length === 0) return section("evidence", "Evidence", `${note}<p>No leaks found on the target.</p>`);
  const rows = fs
    .slice(0, MAX_ROWS)
    .map((f) => [
      f.kind,
      raw(`<code>${esc(f.subject)}</code>`),
      f.probe,
      f.detector,
      f.exact ? "exact" : "near",
      fixed(f.distance),
      fixed(f.score),
      f.count,
      evidenceCell(m, f),
      f.evidence.sha256.slice(0, 16),
      findingCaveat(f) ?? "–",
    ]);
  const more =
    fs.length > MAX_ROWS ? `<p class="muted">${fs.length - MAX_ROWS} more in summary.json.</p>` : "";
  return section(
    "evidence",
    "Evidence",
    note +
      table(
        [
          "kind",
          "subject",
          "probe",
          "detector",
          "match",
          "distance",
          "score",
          "attempts",
          "evidence",
          "sha256",
          "control",
        ],
        rows,
        { id: "evidence-table", numeric: [5, 6, 7] },
      ) +
      more,
  );
}
