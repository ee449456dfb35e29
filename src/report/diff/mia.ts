import type { Rng } from "../../core/rng.js";
import type { MiaScoreEvent } from "../events.js";
import type { MiaView } from "../mia-view.js";
import { aucDeltaInterval } from "./bootstrap.js";
import type { MiaChange } from "./types.js";

const score = (r: MiaScoreEvent, attack: string) => {
  const s = r.scores[attack];
  return typeof s === "number" && Number.isFinite(s) ? s : null;
};

function pairs(
  a: readonly MiaScoreEvent[],
  b: readonly MiaScoreEvent[],
  attack: string,
  label: MiaScoreEvent["label"],
) {
  const bySha = new Map(b.filter((r) => r.label === label).map((r) => [r.sha256, r]));
  const old: number[] = [];
  const now: number[] = [];
  for (const r of a) {
    if (r.label !== label) continue;
    const m = bySha.get(r.sha256);
    const x = score(r, attack);
    const y = m ? score(m, attack) : null;
    if (x !== null && y !== null) {
      old.push(x);
      now.push(y);
    }
  }
  return { old, now };
}

/** True when both runs scored exactly the same texts with the same labels. */
function sameRecords(a: readonly MiaScoreEvent[], b: readonly MiaScoreEvent[]): boolean {
  if (a.length === 0 || a.length !== b.length) return false;
  const set = new Set(a.map((r) => `${r.label}\0${r.sha256}`));
  return b.every((r) => set.has(`${r.label}\0${r.sha256}`));
}

/**
 * Per attack: AUC in each run (from `mia.result`) and a bootstrap interval of the change, computed from the
 * per-record `mia.score` scores. When both runs scored the same records (matched by text SHA-256 and label)
 * the bootstrap is paired; otherwise each run is resampled on its own.
 */
export function diffMia(a: MiaView, b: MiaView, rng: Rng): MiaChange[] {
  const ids = [...new Set([...a.attacks, ...b.attacks].map((x) => x.result.attack))].sort();
  const paired = sameRecords(a.records, b.records);
  return ids.map((attack) => {
    const oa = a.attacks.find((x) => x.result.attack === attack);
    const nb = b.attacks.find((x) => x.result.attack === attack);
    const old = oa?.result.auc ?? null;
    const now = nb?.result.auc ?? null;
    let ci = null;
    let n = 0;
    if (oa && nb) {
      if (paired) {
        const m = pairs(a.records, b.records, attack, "member");
        const nm = pairs(a.records, b.records, attack, "non-member");
        n = m.old.length + nm.old.length;
        ci = aucDeltaInterval(
          { oldMembers: m.old, oldNonMembers: nm.old, newMembers: m.now, newNonMembers: nm.now },
          true,
          rng.fork(attack),
        );
      } else {
        ci = aucDeltaInterval(
          {
            oldMembers: oa.members,
            oldNonMembers: oa.nonMembers,
            newMembers: nb.members,
            newNonMembers: nb.nonMembers,
          },
          false,
          rng.fork(attack),
        );
      }
    }
    const delta = old !== null && now !== null ? now - old : null;
    const status =
      old === null ? "new" : now === null ? "gone" : ci && (ci.low > 0 || ci.high < 0) ? "moved" : "same";
    return {
      attack,
      status,
      old,
      new: now,
      delta,
      low: ci?.low ?? null,
      high: ci?.high ?? null,
      paired: paired && n > 0,
      pairs: n,
    };
  });
}
