/** Divergence tables of the extraction bench: diverged generations, what their tails matched, whose PII. */
import type { Document } from "../../src/core/data.js";
import { piiKey } from "../../src/detectors/pii.js";
import type { AttemptEvent, ReportEvent, Role } from "../../src/report/events.js";
import { summarize } from "../../src/report/summary.js";
import { ok, pct, verdicts } from "./tables.js";

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
