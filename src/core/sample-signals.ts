/** Memorization signals of one sampled output, for ranking untargeted samples (Carlini et al. 2021). */
import { type SampleSignals, sampleSignals } from "../probes/sampling-rank.js";
import type { Scheduler } from "./scheduler.js";
import type { Generation, ScoringTarget, TokenLogprob } from "./types.js";

/** Mean of the real log-probs (censored ones skipped); undefined when there are none. */
export function meanLogprob(tokens: readonly TokenLogprob[] | undefined): number | undefined {
  const lps = (tokens ?? []).map((t) => t.logprob).filter((x): x is number => x !== null);
  return lps.length ? lps.reduce((a, b) => a + b, 0) / lps.length : undefined;
}

/** The reference model a sample is scored on (the scan's control, when it scores text), and its pacing. */
export interface SignalReference {
  readonly target: ScoringTarget;
  readonly scheduler: Scheduler;
}

/**
 * Signals of a generation: zlib size always; perplexity and zlib ratio from its generated-token log-probs
 * when the target returned them; the ratio to the reference when one scores the text (one extra request
 * on the reference; a failed one just leaves the ratio out).
 */
export async function samplingSignals(gen: Generation, reference?: SignalReference): Promise<SampleSignals> {
  const mean = meanLogprob(gen.tokens);
  let ref: number | undefined;
  if (reference && mean !== undefined && gen.text.trim() !== "") {
    const r = await reference.scheduler.run((signal) => reference.target.scoreText(gen.text, { signal }));
    if (r.ok) ref = meanLogprob(r.value.tokens);
  }
  const sig = sampleSignals({
    text: gen.text,
    ...(mean !== undefined ? { meanLogprob: mean } : {}),
    ...(ref !== undefined ? { referenceMeanLogprob: ref } : {}),
  });
  // a perfectly predicted sample has ratio +Infinity, which JSON cannot carry: keep it the largest value
  const finite = (x: number | undefined) =>
    x === undefined ? {} : { v: Number.isFinite(x) ? x : RATIO_CAP };
  const z = finite(sig.zlibRatio);
  const r = finite(sig.referenceRatio);
  return {
    zlibBytes: sig.zlibBytes,
    ...(sig.perplexity !== undefined ? { perplexity: sig.perplexity } : {}),
    ...("v" in z ? { zlibRatio: z.v } : {}),
    ...("v" in r ? { referenceRatio: r.v } : {}),
  };
}

/** Stand-in for an infinite ratio (a sample the target predicts perfectly). */
export const RATIO_CAP = 1e12;
