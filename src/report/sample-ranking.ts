/** Untargeted samples of a run ranked by the memorization signals their attempt events carry. */
import { type RankSignal, rankBySignals } from "../probes/sampling-rank.js";
import type { AttemptEvent, VerdictEvent } from "./events.js";
import { group } from "./group.js";

/** One sampled output, in rank order (most suspicious first). */
export interface SampleRow {
  readonly attempt: string;
  readonly prompt: string;
  readonly score: number;
  readonly perplexity?: number;
  readonly zlibRatio?: number;
  readonly referenceRatio?: number;
  /** What the detectors found in it (finding kinds), so a reader sees whether the top samples leak. */
  readonly leaks: readonly string[];
}

/** Untargeted samples ranked by memorization signal, so the most suspicious are read first. */
export interface SampleRanking {
  /** `reference` (ratio to the control), `zlib`, `perplexity`, or `none` (no log-probs: input order). */
  readonly by: RankSignal;
  readonly samples: number;
  /** Samples with a leak verdict among the first `top.length`, and among all. */
  readonly leakingInTop: number;
  readonly leaking: number;
  readonly top: readonly SampleRow[];
}

/** Rows of the sample ranking kept in the summary. */
export const TOP_SAMPLES = 10;

/** Rank one role's sampled outputs, most suspicious first; null when the run sampled nothing. */
export function sampleRanking(
  atts: readonly AttemptEvent[],
  vs: readonly VerdictEvent[],
): SampleRanking | null {
  const sampled = atts.filter(
    (a): a is AttemptEvent & { signals: NonNullable<AttemptEvent["signals"]> } =>
      a.meta.kind === "sampling" && a.signals !== undefined,
  );
  if (sampled.length === 0) return null;
  const byAttempt = group(
    vs.filter((v) => v.finding !== "divergence"),
    (v) => `${v.probe}\0${v.attempt}`,
  );
  const ranked = rankBySignals(sampled);
  const rows = ranked.map(({ item: a, score }) => {
    const leaks = [...new Set((byAttempt.get(`${a.probe}\0${a.attempt}`) ?? []).map((v) => v.finding))];
    const { perplexity, zlibRatio, referenceRatio } = a.signals;
    return {
      attempt: a.attempt,
      prompt: a.meta.kind === "sampling" ? a.meta.prompt : "",
      score,
      ...(perplexity !== undefined ? { perplexity } : {}),
      ...(zlibRatio !== undefined ? { zlibRatio } : {}),
      ...(referenceRatio !== undefined ? { referenceRatio } : {}),
      leaks,
    };
  });
  const top = rows.slice(0, TOP_SAMPLES);
  return {
    by: ranked[0]!.by,
    samples: rows.length,
    leakingInTop: top.filter((r) => r.leaks.length > 0).length,
    leaking: rows.filter((r) => r.leaks.length > 0).length,
    top,
  };
}
