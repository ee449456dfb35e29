/**
 * Prompt caching for the local engine: which idle sequence to borrow (the one already holding the
 * longest prefix of a request, or an empty one), and scoring that evaluates only what the cache lacks.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { type PositionScore, type ScoreOptions, scoreTokens } from "./score.js";

/** Tokens `a` and `b` share from the start. */
export function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Pick the idle sequence holding the longest prefix of `ids`. */
export function longestMatch(ids: readonly Token[]) {
  return (idle: readonly LlamaContextSequence[]): number => {
    let best = 0;
    let bestLen = -1;
    idle.forEach((seq, i) => {
      const len = commonPrefix(seq.contextTokens, ids);
      if (len > bestLen) [best, bestLen] = [i, len];
    });
    return best;
  };
}

/**
 * Score `ids[from..]` keeping whatever prefix of `ids[..from-1]` the sequence already holds (the token
 * before `from` is always re-evaluated: its output is the distribution `ids[from]` is scored under).
 */
export async function scoreReusing(
  seq: LlamaContextSequence,
  ids: readonly Token[],
  from: number,
  opts: ScoreOptions,
): Promise<PositionScore[]> {
  await seq.adaptStateToTokens(ids.slice(0, from - 1), false);
  return scoreTokens(seq, ids, from, opts, Math.min(seq.nextTokenIndex, from - 1));
}

/** Pick an idle sequence with nothing cached, so a fresh call does not evict a cached prompt. */
export function emptiest(idle: readonly LlamaContextSequence[]): number {
  const i = idle.findIndex((seq) => seq.nextTokenIndex === 0);
  return i >= 0 ? i : idle.length - 1;
}

/** Start from an empty sequence (one left with a cached prompt by a `reuseContext` call is cleared). */
export async function fresh(seq: LlamaContextSequence): Promise<LlamaContextSequence> {
  if (seq.nextTokenIndex > 0) await seq.clearHistory();
  return seq;
}
