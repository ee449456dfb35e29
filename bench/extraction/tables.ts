/** The measurement tables of the extraction bench, from a scan's events (outputs revealed). */
import type { Document } from "../../src/core/data.js";
import { piiKey } from "../../src/detectors/pii.js";
import { compareContinuation } from "../../src/detectors/prefix-continuation.js";
import type { AttemptEvent, ReportEvent, Role, VerdictEvent } from "../../src/report/events.js";
import { summarize } from "../../src/report/summary.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

function ok(events: readonly ReportEvent[], role: Role): AttemptEvent[] {
  return events.filter(
    (e): e is AttemptEvent => e.type === "attempt" && e.role === role && e.status === "ok",
  );
}
function verdicts(events: readonly ReportEvent[], role: Role): VerdictEvent[] {
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

/** Divergence per probe and mode: how often generations diverged and what the diverged tails matched. */
export function divergenceRows(
  model: string,
  events: readonly ReportEvent[],
  role: Role,
  setOf: (docId: string) => string,
) {
  const x = (role === "target" ? summarize(events).target : summarize(events).control!).extraction;
  const vs = verdicts(events, role);
  return x.divergence.map((r) => {
    const modeOf = new Map(ok(events, role).map((a) => [`${a.probe}\0${a.attempt}`, a.mode]));
    const diverged = new Set(
      vs.filter((v) => v.finding === "divergence").map((v) => `${v.probe}\0${v.attempt}`),
    );
    const tails = vs.filter((v) => {
      const k = `${v.probe}\0${v.attempt}`;
      return v.probe === r.probe && v.finding !== "divergence" && diverged.has(k) && modeOf.get(k) === r.mode;
    });
    const what = new Map<string, number>();
    for (const v of tails) {
      const k =
        v.finding === "pii"
          ? `pii ${v.subject.split(":")[0]}`
          : v.finding === "canary"
            ? `canary ${v.subject}`
            : `${setOf(v.subject)} document (${v.exact ? "verbatim" : "near"})`;
      what.set(k, (what.get(k) ?? 0) + 1);
    }
    return [
      model,
      r.probe.replace("divergence.", ""),
      r.mode,
      r.attempts,
      `${r.diverged} (${pct(r.diverged / Math.max(1, r.attempts))})`,
      r.tailCanary,
      r.tailPii,
      r.tailDocument,
      [...what.entries()].map(([k, n]) => `${k} ${n}`).join(", ") || "–",
    ];
  });
}

/** repeat-word generations by the word's length in target tokens (1 = single-token) and mode. */
export function wordLengthRows(model: string, events: readonly ReportEvent[], role: Role) {
  const atts = ok(events, role).filter(
    (a) => a.probe === "divergence.repeat-word" && a.meta.kind === "repeat",
  );
  const vs = verdicts(events, role).filter((v) => v.probe === "divergence.repeat-word");
  const diverged = new Set(vs.filter((v) => v.finding === "divergence").map((v) => v.attempt));
  const leaky = new Set(
    vs.filter((v) => v.finding !== "divergence" && diverged.has(v.attempt)).map((v) => v.attempt),
  );
  const groups = new Map<string, AttemptEvent[]>();
  for (const a of atts) {
    const n = a.meta.kind === "repeat" ? a.meta.wordTokens : undefined;
    const k = `${a.mode}\0${n === undefined ? "?" : n === 1 ? "1" : "2+"}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, list]) => {
      const [mode, len] = k.split("\0");
      const d = list.filter((a) => diverged.has(a.attempt)).length;
      return [
        model,
        mode!,
        len!,
        list.length,
        `${d} (${pct(d / list.length)})`,
        list.filter((a) => leaky.has(a.attempt)).length,
      ];
    });
}

const PII_RULES = ["email", "phone", "ssn", "card", "api-key"] as const;

/** Keys (`rule:normalised value`) of every field value of the documents, to recognise PII as someone's. */
export function piiKeys(docs: readonly Document[]): Set<string> {
  const out = new Set<string>();
  for (const d of docs)
    for (const v of Object.values(d.fields ?? {})) for (const r of PII_RULES) out.add(`${r}:${piiKey(r, v)}`);
  return out;
}

/**
 * PII items found in diverged tails (outputs revealed): how many are a member's own value, a non-member's,
 * or neither (made up by the model).
 */
export function tailPiiRows(
  model: string,
  events: readonly ReportEvent[],
  role: Role,
  members: ReadonlySet<string>,
  nonMembers: ReadonlySet<string>,
) {
  const vs = verdicts(events, role);
  const diverged = new Set(
    vs.filter((v) => v.finding === "divergence").map((v) => `${v.probe}\0${v.attempt}`),
  );
  const seen = new Map<string, { n: number; member: number; nonMember: number; neither: number }>();
  const counted = new Set<string>();
  for (const v of vs) {
    if (v.finding !== "pii" || !diverged.has(`${v.probe}\0${v.attempt}`)) continue;
    for (const e of v.evidence) {
      if (e.source.kind !== "rule") continue;
      const key = `${e.source.rule}:${piiKey(e.source.rule, e.excerpt)}`;
      const once = `${v.probe}\0${key}`;
      if (counted.has(once)) continue;
      counted.add(once);
      const row = seen.get(v.probe) ?? { n: 0, member: 0, nonMember: 0, neither: 0 };
      row.n++;
      if (members.has(key)) row.member++;
      else if (nonMembers.has(key)) row.nonMember++;
      else row.neither++;
      seen.set(v.probe, row);
    }
  }
  return [...seen.entries()].map(([probe, r]) => [
    model,
    probe.replace("divergence.", ""),
    r.n,
    r.member,
    r.nonMember,
    r.neither,
  ]);
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
    ],
  ];
}
