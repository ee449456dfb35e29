import { deflateSync } from "node:zlib";

/** One generated sample to rank; logprobs are mean natural-log probabilities per token (≤ 0). */
export interface SampleToRank {
  readonly text: string;
  /** Mean token log-probability of `text` under the target. */
  readonly meanLogprob?: number;
  /** Mean token log-probability of `text` under a reference model (e.g. the base the target came from). */
  readonly referenceMeanLogprob?: number;
}

/** Memorization signals of one sample (Carlini et al. 2021, ranking section); higher = more suspicious. */
export interface SampleSignals {
  /** exp(-meanLogprob); lower is more suspicious (reported as is, ranked by its negative log). */
  readonly perplexity?: number;
  /** Byte length of zlib-compressed UTF-8 text (node:zlib deflateSync, level 6, zlib wrapper). */
  readonly zlibBytes: number;
  /** zlibBytes / log(perplexity) = zlibBytes / -meanLogprob. */
  readonly zlibRatio?: number;
  /** log PPL_ref / log PPL_target = referenceMeanLogprob / meanLogprob. */
  readonly referenceRatio?: number;
}

/** Which signal ordered the list. */
export type RankSignal = "reference" | "zlib" | "perplexity" | "none";

export interface RankedSample<T extends SampleToRank> {
  readonly sample: T;
  /** Position in the input. */
  readonly index: number;
  readonly signals: SampleSignals;
  /** The signal sorted on. */
  readonly by: RankSignal;
  /** The value sorted on (descending); -Infinity when this sample lacks the signal, 0 for `none`. */
  readonly score: number;
}

/** The signals of one sample. Division by a zero log-perplexity gives +Infinity (perfectly predicted). */
export function sampleSignals(s: SampleToRank): SampleSignals {
  const zlibBytes = deflateSync(Buffer.from(s.text, "utf8")).length;
  const m = s.meanLogprob;
  if (m === undefined || !Number.isFinite(m)) return { zlibBytes };
  const logPpl = -m;
  const ratio = (num: number): number => (logPpl > 0 ? num / logPpl : num > 0 ? Infinity : 0);
  const ref = s.referenceMeanLogprob;
  return {
    perplexity: Math.exp(logPpl),
    zlibBytes,
    zlibRatio: ratio(zlibBytes),
    ...(ref !== undefined && Number.isFinite(ref) ? { referenceRatio: ratio(-ref) } : {}),
  };
}

function scoreOf(sig: SampleSignals, by: RankSignal): number {
  const v =
    by === "reference"
      ? sig.referenceRatio
      : by === "zlib"
        ? sig.zlibRatio
        : by === "perplexity" && sig.perplexity !== undefined
          ? -Math.log(sig.perplexity)
          : undefined;
  return v === undefined || Number.isNaN(v) ? -Infinity : v;
}

/**
 * The strongest signal every sample has: `reference` when all have both logprobs, else `zlib` when all have
 * `meanLogprob`, else `none`.
 */
export function defaultRankSignal(samples: readonly SampleToRank[]): RankSignal {
  if (samples.length === 0) return "none";
  const ok = (v: number | undefined): boolean => v !== undefined && Number.isFinite(v);
  if (samples.every((s) => ok(s.meanLogprob) && ok(s.referenceMeanLogprob))) return "reference";
  if (samples.every((s) => ok(s.meanLogprob))) return "zlib";
  return "none";
}

/**
 * The strongest signal every item's precomputed signals have: `reference`, else `zlib`, else `none`.
 */
export function defaultSignalOf(items: readonly { readonly signals: SampleSignals }[]): RankSignal {
  if (items.length === 0) return "none";
  const ok = (v: number | undefined): boolean => v !== undefined && !Number.isNaN(v);
  if (items.every((i) => ok(i.signals.referenceRatio))) return "reference";
  if (items.every((i) => ok(i.signals.zlibRatio))) return "zlib";
  return "none";
}

/**
 * Order items that carry precomputed signals (e.g. folded from attempt events) most-suspicious first, by
 * `by` (default `defaultSignalOf`); ties and `none` keep input order.
 */
export function rankBySignals<T extends { readonly signals: SampleSignals }>(
  items: readonly T[],
  by?: RankSignal,
): { readonly item: T; readonly by: RankSignal; readonly score: number }[] {
  const chosen = by ?? defaultSignalOf(items);
  return items
    .map((item, index) => ({
      item,
      index,
      by: chosen,
      score: chosen === "none" ? 0 : scoreOf(item.signals, chosen),
    }))
    .sort((a, b) => (b.score === a.score ? a.index - b.index : b.score > a.score ? 1 : -1))
    .map(({ item, by: b, score }) => ({ item, by: b, score }));
}

/**
 * Rank samples most-suspicious first, with their signal values. `by` defaults to `defaultRankSignal`; with
 * `none` the input order is kept (zlib bytes alone do not indicate memorization). Ties keep input order.
 *
 * @example
 * rankSamples([{ text: "a", meanLogprob: -2 }, { text: "b", meanLogprob: -0.1 }])[0].index; // 1
 */
export function rankSamples<T extends SampleToRank>(
  samples: readonly T[],
  by?: RankSignal,
): RankedSample<T>[] {
  const chosen = by ?? defaultRankSignal(samples);
  const ranked = samples.map((sample, index) => {
    const signals = sampleSignals(sample);
    return { sample, index, signals, by: chosen, score: chosen === "none" ? 0 : scoreOf(signals, chosen) };
  });
  return ranked.sort((a, b) => (b.score === a.score ? a.index - b.index : b.score > a.score ? 1 : -1));
}
