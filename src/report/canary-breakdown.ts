/** Canaries in a run: each canary's hits attributed by content, and hits per insert count. */
import type { AttemptEvent, VerdictEvent } from "./events.js";
import { group } from "./group.js";

/** One canary: whether its secret came back, how close, and which prompts drew it. */
export interface CanaryStat {
  readonly canaryId: string;
  readonly insertCount: number | null;
  readonly control: boolean;
  /** Attempts whose output held its secret exactly / only nearly. */
  readonly exactAttempts: number;
  readonly nearAttempts: number;
  /** Smallest normalised distance seen (0 = exact); null when never seen. */
  readonly bestDistance: number | null;
  /** Canaries whose prefix drew this secret, other than its own (the control-canary trap). */
  readonly drawnByOthers: readonly string[];
}

/** Canaries with one insert count (controls: insert count 0). */
export interface InsertCountRow {
  readonly insertCount: number;
  readonly canaries: number;
  /** Canaries whose secret came back exactly at least once. */
  readonly exact: number;
  /** Canaries only ever nearly reproduced. */
  readonly near: number;
  readonly exactRate: number;
}

/** Per-canary stats from one role's successful attempts and verdicts. */
export function canaryStats(atts: readonly AttemptEvent[], vs: readonly VerdictEvent[]): CanaryStat[] {
  const known = new Map<string, { insertCount: number | null; control: boolean }>();
  const prompted = new Map<string, string>();
  for (const a of atts) {
    if (a.meta.kind !== "canary") continue;
    prompted.set(`${a.probe}\0${a.attempt}`, a.meta.canaryId);
    known.set(a.meta.canaryId, { insertCount: a.meta.insertCount ?? null, control: a.meta.control ?? false });
  }
  const found = new Map<string, { exact: Set<string>; near: Set<string>; best: number; by: Set<string> }>();
  for (const v of vs) {
    if (v.finding !== "canary") continue;
    for (const e of v.evidence) {
      if (e.source.kind !== "canary") continue;
      const id = e.source.canaryId;
      if (!known.has(id) || known.get(id)!.insertCount === null) {
        known.set(id, { insertCount: e.source.insertCount ?? null, control: e.source.control ?? false });
      }
      const f = found.get(id) ?? { exact: new Set(), near: new Set(), best: 1, by: new Set() };
      const att = `${v.probe}\0${v.attempt}`;
      const d = e.distance ?? 0;
      (d === 0 ? f.exact : f.near).add(att);
      f.best = Math.min(f.best, d);
      const p = prompted.get(att);
      if (p !== undefined && p !== id) f.by.add(p);
      found.set(id, f);
    }
  }
  return [...known.entries()]
    .map(([canaryId, k]) => {
      const f = found.get(canaryId);
      const near = f ? [...f.near].filter((a) => !f.exact.has(a)).length : 0;
      return {
        canaryId,
        insertCount: k.insertCount,
        control: k.control,
        exactAttempts: f?.exact.size ?? 0,
        nearAttempts: near,
        bestDistance: f ? f.best : null,
        drawnByOthers: f ? [...f.by].sort() : [],
      };
    })
    .sort((a, b) => (a.insertCount ?? -1) - (b.insertCount ?? -1) || a.canaryId.localeCompare(b.canaryId));
}

/** Canaries grouped by insert count: how many came back exactly, how many only nearly. */
export function insertRows(stats: readonly CanaryStat[]): InsertCountRow[] {
  const rows: InsertCountRow[] = [];
  for (const [k, list] of group(
    stats.filter((s) => s.insertCount !== null),
    (s) => String(s.insertCount),
  )) {
    const exact = list.filter((s) => s.exactAttempts > 0).length;
    const near = list.filter((s) => s.exactAttempts === 0 && s.nearAttempts > 0).length;
    rows.push({ insertCount: Number(k), canaries: list.length, exact, near, exactRate: exact / list.length });
  }
  return rows.sort((a, b) => a.insertCount - b.insertCount);
}
