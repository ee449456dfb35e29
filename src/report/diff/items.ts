import type { CanaryExposureEvent } from "../events.js";
import { exposureOf } from "../exposure-view.js";
import { countsAsEvidence, type Finding, type Summary } from "../summary.js";
import type { ChangeStatus, ItemChange, ItemState } from "./types.js";

type Category = ItemChange["category"];

/** An exposure change of at least this many bits counts as a move. */
export const EXPOSURE_MOVE_BITS = 1;

const categoryOf = (f: Finding): Category | null =>
  f.kind === "canary"
    ? "canary"
    : f.kind === "document" || f.kind === "attribute"
      ? "document"
      : f.kind === "pii"
        ? "pii"
        : null;

/** The run's own leaked subjects (control-reproduced ones left out), merged over probes. */
export function itemStates(s: Summary): Map<string, ItemState & { category: Category; subject: string }> {
  const out = new Map<string, ItemState & { category: Category; subject: string }>();
  for (const f of s.target.findings) {
    const category = categoryOf(f);
    if (!category || !countsAsEvidence(f)) continue;
    const key = `${category}\0${f.subject}`;
    const prev = out.get(key);
    out.set(key, {
      category,
      subject: f.subject,
      exact: (prev?.exact ?? false) || f.exact,
      count: (prev?.count ?? 0) + f.count,
      distance: Math.min(prev?.distance ?? 1, f.distance),
      probes: [...new Set([...(prev?.probes ?? []), f.probe])].sort(),
    });
  }
  return out;
}

function level(s: ItemState | null): string {
  return s === null ? "none" : s.exact ? "exact" : "near";
}

/** Compare the leaked subjects (and canary exposures) of two runs. */
export function diffItems(
  oldSummary: Summary,
  newSummary: Summary,
  oldExposure: readonly CanaryExposureEvent[],
  newExposure: readonly CanaryExposureEvent[],
): ItemChange[] {
  const a = itemStates(oldSummary);
  const b = itemStates(newSummary);
  const ea = new Map(oldExposure.map((e) => [e.canaryId, exposureOf(e)]));
  const eb = new Map(newExposure.map((e) => [e.canaryId, exposureOf(e)]));
  const keys = new Set([
    ...a.keys(),
    ...b.keys(),
    ...[...ea.keys(), ...eb.keys()].map((id) => `canary\0${id}`),
  ]);
  const out: ItemChange[] = [];
  for (const key of keys) {
    const [category, subject] = key.split("\0") as [Category, string];
    const o = a.get(key) ?? null;
    const n = b.get(key) ?? null;
    const xo = category === "canary" ? (ea.get(subject) ?? null) : undefined;
    const xn = category === "canary" ? (eb.get(subject) ?? null) : undefined;
    const notes: string[] = [];
    if (level(o) !== level(n)) notes.push(`${level(o)} → ${level(n)}`);
    else if (o && n && o.count !== n.count) notes.push(`attempts ${o.count} → ${n.count}`);
    const dx = xo !== undefined && xo !== null && xn !== undefined && xn !== null ? xn - xo : null;
    if (dx !== null && Math.abs(dx) >= EXPOSURE_MOVE_BITS)
      notes.push(`exposure ${xo!.toFixed(1)} → ${xn!.toFixed(1)} bits`);
    const status: ChangeStatus =
      o === null && n !== null ? "new" : o !== null && n === null ? "gone" : notes.length ? "moved" : "same";
    out.push({
      category,
      subject,
      status,
      old: o && strip(o),
      new: n && strip(n),
      ...(category === "canary" ? { exposureOld: xo ?? null, exposureNew: xn ?? null } : {}),
      note: notes.join("; "),
    });
  }
  const rank: Record<ChangeStatus, number> = { new: 0, moved: 1, gone: 2, same: 3 };
  return out.sort((x, y) => rank[x.status] - rank[y.status] || x.subject.localeCompare(y.subject));
}

function strip(s: ItemState): ItemState {
  return { exact: s.exact, count: s.count, distance: s.distance, probes: s.probes };
}
