import type { MiaResultEvent, MiaScoreEvent, ReportEvent } from "./events.js";

/** One attack as the renderers see it: its metrics and the per-record scores behind them. */
export interface MiaAttackView {
  readonly result: MiaResultEvent;
  /** Scores of members / non-members this attack could score (nulls dropped). */
  readonly members: readonly number[];
  readonly nonMembers: readonly number[];
}

export interface MiaView {
  readonly attacks: readonly MiaAttackView[];
  /** Scored records, after de-duplication across resumed starts (last event per record and label wins). */
  readonly records: readonly MiaScoreEvent[];
}

/**
 * Fold `mia.score` and `mia.result` events (the contract of the MIA stage) into per-attack views, sorted by
 * AUC, highest first. A resumed run may repeat events: the last `mia.result` per attack and the last
 * `mia.score` per (record, label) win.
 */
export function foldMia(events: readonly ReportEvent[]): MiaView {
  const results = new Map<string, MiaResultEvent>();
  const scores = new Map<string, MiaScoreEvent>();
  for (const ev of events) {
    if (ev.type === "mia.result") results.set(ev.attack, ev);
    else if (ev.type === "mia.score") scores.set(`${ev.label}\0${ev.record}`, ev);
  }
  const records = [...scores.values()];
  const attacks = [...results.values()]
    .sort((a, b) => b.auc - a.auc || a.attack.localeCompare(b.attack))
    .map((result) => ({
      result,
      members: pick(records, "member", result.attack),
      nonMembers: pick(records, "non-member", result.attack),
    }));
  return { attacks, records };
}

function pick(records: readonly MiaScoreEvent[], label: MiaScoreEvent["label"], attack: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const s = r.label === label ? r.scores[attack] : undefined;
    if (typeof s === "number" && Number.isFinite(s)) out.push(s);
  }
  return out;
}
