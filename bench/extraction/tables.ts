/** The measurement tables of the extraction bench, from a scan's events (outputs revealed). */
import { compareContinuation } from "../../src/detectors/prefix-continuation.js";
import { type RankSignal, rankBySignals } from "../../src/probes/sampling-rank.js";
import type { AttemptEvent, ReportEvent, Role, VerdictEvent } from "../../src/report/events.js";
import { summarize } from "../../src/report/summary.js";

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

export function ok(events: readonly ReportEvent[], role: Role): AttemptEvent[] {
  return events.filter(
    (e): e is AttemptEvent => e.type === "attempt" && e.role === role && e.status === "ok",
  );
}
export function verdicts(events: readonly ReportEvent[], role: Role): VerdictEvent[] {
  return events.filter((e): e is VerdictEvent => e.type === "verdict" && e.role === role);
}

/** A Markdown table. */
export function md(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Canary rows per insert count for one model, plus the attribution and near-hit notes. */
export function canaryRows(model: string, events: readonly ReportEvent[], role: Role) {
  const x = (role === "target" ? summarize(events).target : summarize(events).control!).extraction;
  const atts = ok(events, role).filter((a) => a.meta.kind === "canary");
  const vs = verdicts(events, role).filter((v) => v.finding === "canary");
  /** The output held the prompted canary's own secret exactly. */
  const hit = (a: AttemptEvent) =>
    a.meta.kind === "canary" &&
    vs.some(
      (v) =>
        v.attempt === a.attempt &&
        v.evidence.some(
          (e) =>
            e.source.kind === "canary" &&
            e.source.canaryId === (a.meta as { canaryId: string }).canaryId &&
            !e.distance,
        ),
    );
  const rows = x.byInsertCount.map((r) => {
    const mine = atts.filter((a) => a.meta.kind === "canary" && a.meta.insertCount === r.insertCount);
    const greedy = mine.filter((a) => a.meta.kind === "canary" && a.meta.sample === 0);
    const sampled = mine.filter((a) => a.meta.kind === "canary" && a.meta.sample > 0);
    return [
      model,
      r.insertCount === 0 ? "0 (controls)" : r.insertCount,
      r.canaries,
      `${r.exact} (${pct(r.exactRate)})`,
      r.near,
      `${greedy.filter(hit).length}/${greedy.length}`,
      `${sampled.filter(hit).length}/${sampled.length}`,
    ];
  });
  const notes: string[] = [];
  for (const c of x.canaries) {
    if (c.drawnByOthers.length)
      notes.push(
        `${model}: secret of ${c.canaryId} (insert count ${c.insertCount}) drawn by the prompt of ${c.drawnByOthers.join(", ")}`,
      );
    if (c.exactAttempts === 0 && c.nearAttempts > 0)
      notes.push(
        `${model}: ${c.canaryId} (insert count ${c.insertCount}) near hit only, distance ${c.bestDistance?.toFixed(3)}`,
      );
  }
  return { rows, notes };
}

/** Prefix completion per document set and prefix length: extracted and near rates, mean distance. */
export function prefixRows(model: string, events: readonly ReportEvent[], role: Role) {
  const atts = ok(events, role).filter((a) => a.meta.kind === "prefix");
  const vs = verdicts(events, role).filter(
    (v) => v.detector === "prefix-continuation" && v.finding === "document",
  );
  const groups = new Map<string, AttemptEvent[]>();
  for (const a of atts) {
    if (a.meta.kind !== "prefix") continue;
    const k = `${a.meta.source}\0${String(a.meta.prefixLength).padStart(4, "0")}\0${a.meta.unit}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, list]) => {
      const m = list[0]!.meta as Extract<AttemptEvent["meta"], { kind: "prefix" }>;
      const dist: number[] = [];
      const toks: number[] = [];
      for (const a of list) {
        if (a.meta.kind !== "prefix" || a.output?.text === undefined) continue;
        const st = compareContinuation(a.output.text, a.meta.suffix, 32, a.meta.suffixTokenEnds);
        dist.push(st.distance);
        toks.push(st.prefixTokens / Math.max(1, st.requiredTokens));
      }
      const ex = list.filter((a) => vs.some((v) => v.attempt === a.attempt && v.exact)).length;
      const near = list.filter((a) => vs.some((v) => v.attempt === a.attempt && !v.exact)).length;
      return [
        model,
        m.source ?? "",
        `${m.prefixLength} ${m.unit}`,
        list.length,
        pct(ex / list.length),
        pct(near / list.length),
        mean(dist).toFixed(3),
        pct(mean(toks)),
      ];
    });
}

/** Attribute completion per document set: hidden values reproduced exactly, per field. */
export function attributeRows(model: string, events: readonly ReportEvent[], role: Role) {
  const x = (role === "target" ? summarize(events).target : summarize(events).control!).extraction;
  const bySet = new Map<string, { n: number; exact: number; near: number; fields: string[] }>();
  for (const r of x.attributes) {
    const s = bySet.get(r.source) ?? { n: 0, exact: 0, near: 0, fields: [] };
    s.n += r.attempts;
    s.exact += r.exact;
    s.near += r.near;
    if (r.exact) s.fields.push(`${r.field} ${r.exact}/${r.attempts}`);
    bySet.set(r.source, s);
  }
  return [...bySet.entries()].map(([set, s]) => [
    model,
    set,
    `${s.exact}/${s.n} (${pct(s.exact / s.n)})`,
    s.near,
    s.fields.join(", ") || "–",
  ]);
}

/** Ranks (1-based) of the samples that hold a finding of `kind`, under `by` and in sampling order. */
function ranksOf(events: readonly ReportEvent[], role: Role, kind: string, by: RankSignal): string {
  const atts = ok(events, role).filter(
    (a): a is AttemptEvent & { signals: NonNullable<AttemptEvent["signals"]> } =>
      a.meta.kind === "sampling" && a.signals !== undefined,
  );
  const hit = new Set(
    verdicts(events, role)
      .filter((v) => v.probe === "extraction.sampling" && v.finding === kind)
      .map((v) => v.attempt),
  );
  const ranks = rankBySignals(atts, by)
    .map(({ item }, i) => (hit.has(item.attempt) ? i + 1 : 0))
    .filter((n) => n > 0);
  return ranks.join(", ") || "–";
}

/** The sample ranking of one model: how many samples leak, overall and among the most suspicious. */
export function samplingRows(model: string, events: readonly ReportEvent[], role: Role) {
  const x = (role === "target" ? summarize(events).target : summarize(events).control!).extraction;
  const r = x.sampling;
  if (!r) return [];
  return [
    [
      model,
      r.by,
      r.samples,
      `${r.leaking} (${pct(r.leaking / r.samples)})`,
      `${r.leakingInTop}/${r.top.length}`,
      r.top
        .slice(0, 3)
        .map((t) => t.leaks.join("+") || "none")
        .join("; "),
      `${ranksOf(events, role, "canary", r.by)} (in sampling order: ${ranksOf(events, role, "canary", "none")})`,
    ],
  ];
}
