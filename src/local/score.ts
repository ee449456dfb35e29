import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";
import { distributionStats, logprobFromLogits } from "./dist.js";

/** What to compute at each scored position. */
export interface ScoreOptions {
  /** Alternatives per position, most likely first (default 0). */
  readonly topK?: number;
  /** Mean/std of log p over the full distribution (Min-K%++); reads the full distribution (default false). */
  readonly moments?: boolean;
  /** Rank of the actual token in the full distribution; reads the full distribution (default false). */
  readonly rank?: boolean;
}

/** Teacher-forced score of one token given everything before it. Log-probs are natural logs of the raw model. */
export interface PositionScore {
  readonly token: Token;
  readonly logprob: number;
  readonly top?: ReadonlyArray<{ readonly token: Token; readonly logprob: number }>;
  readonly moments?: { readonly mean: number; readonly std: number };
  readonly rank?: number;
}

/**
 * Score `tokens[from..]` teacher-forced on an empty sequence with `controlledEvaluate` (default sampler
 * options = greedy chain, so the logits are the raw model's). Each log-prob is computed from raw logits
 * (`logit − max − ln Σ exp`), never from a post-sampling distribution; the full probability map is only read,
 * and dropped, when moments or ranks are asked for.
 * @param from index of the first token to score; at least 1 (the first token has no context)
 * @param evaluated how many leading tokens the sequence already holds (default 0: an empty sequence);
 *   must be below `from`
 */
export async function scoreTokens(
  seq: LlamaContextSequence,
  tokens: readonly Token[],
  from: number,
  opts: ScoreOptions = {},
  evaluated = 0,
): Promise<PositionScore[]> {
  const start = Math.max(1, from, evaluated + 1);
  const topK = opts.topK ?? 0;
  const full = opts.moments === true || opts.rank === true;
  const input: ControlledEvaluateInputItem[] = tokens.slice(evaluated, -1).map((t, j) => {
    const i = j + evaluated;
    const next = tokens[i + 1]!;
    if (i + 1 < start) return t;
    return [
      t,
      {
        generateNext: {
          logits: { filter: { tokens: [next], includeTop: Math.max(1, topK) } },
          totalLogitWeight: true,
          probabilities: full,
        },
      },
    ];
  });
  const out = input.length === 0 ? [] : await seq.controlledEvaluate(input);
  const scores: PositionScore[] = [];
  for (let i = start - 1; i < tokens.length - 1; i++) {
    const next = out[i - evaluated]?.next;
    const token = tokens[i + 1]!;
    const logits = next?.logits;
    const weight = next?.totalLogitWeight;
    if (logits === undefined || weight === undefined) {
      throw new Error(`Expected logits at position ${i}, got none; the model may not support generation.`);
    }
    let max = Number.NEGATIVE_INFINITY;
    for (const v of logits.values()) max = Math.max(max, v);
    const logprob = logprobFromLogits(logits.get(token)!, max, weight);
    const score: { -readonly [K in keyof PositionScore]: PositionScore[K] } = { token, logprob };
    if (topK > 0) {
      score.top = [...logits]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topK)
        .map(([t, l]) => ({ token: t, logprob: logprobFromLogits(l, max, weight) }));
    }
    if (full && next?.probabilities !== undefined) {
      const stats = distributionStats(next.probabilities, next.probabilities.get(token) ?? 0);
      if (opts.moments) score.moments = { mean: stats.mean, std: stats.std };
      if (opts.rank) score.rank = stats.rank;
    }
    scores.push(score);
  }
  return scores;
}
