import { estimateTokens } from "../core/scheduler.js";
import type { ScoredText } from "../core/types.js";
import { supports } from "../core/types.js";
import { type CanaryCandidates, candidateText } from "./candidates.js";
import { extrapolatedExposure, interpolatedExposure } from "./exposure.js";
import { type ExposureBody, type MeasureContext, type Measured, Tally } from "./measure.js";
import { fitSkewNormal } from "./skew-normal-fit.js";

/**
 * A candidate's log-perplexity: the total negative log-likelihood (nats) of its scored tokens, i.e.
 * −ln Pr(glue + candidate + tail | prefix), the Secret Sharer's Px up to the factor ln 2.
 *
 * @throws RangeError when no token was scored or a token's logprob is censored.
 */
export function totalNll(scored: ScoredText): number {
  if (scored.tokens.length === 0) throw new RangeError("Expected scored tokens for the candidate, got none");
  let sum = 0;
  for (const t of scored.tokens) {
    if (t.logprob === null) {
      throw new RangeError(`Expected a logprob for every candidate token, got a censored one ("${t.token}")`);
    }
    sum -= t.logprob;
  }
  return sum;
}

/**
 * Rank exposure of one canary through a target with prompt logprobs. The secret is scored first and
 * alone, so the shared prefix reaches the target once before the references (a prompt cache — the gguf
 * target's KV reuse, a server's prefix cache — then holds it); the references follow, paced by the
 * scheduler. Exposure: interpolation (rank among the references) and skew-normal extrapolation, the
 * latter capped at log2 |space| (a rank is at least 1) with the uncapped value kept beside it.
 */
export async function measureRank(c: CanaryCandidates, ctx: MeasureContext): Promise<Measured> {
  const target = ctx.target;
  const tally = new Tally(ctx);
  const spaceBits = Math.log2(c.spaceSize);
  const base = {
    canaryId: c.canary.id,
    insertCount: c.canary.insertCount,
    control: c.canary.control,
    method: "rank" as const,
    spaceBits,
  };
  const failed = (): ExposureBody => ({
    ...base,
    references: c.references.length,
    rank: null,
    exposureInterpolated: null,
    exposureExtrapolated: null,
  });
  if (!supports(target, "promptLogprobs")) {
    tally.error = `${target.info.id} gives no prompt logprobs`;
    return tally.finish(failed, failed);
  }
  const score = async (candidate: string): Promise<number | undefined> => {
    const text = candidateText(c, candidate);
    const out = await ctx.scheduler.run(
      (signal) => target.scoreText(text, { context: c.context, reuseContext: true, moments: false, signal }),
      {
        estimatedTokens: estimateTokens(c.context + text, 0),
        usage: (s) => s.usage.promptTokens + s.usage.completionTokens,
      },
    );
    const scored = tally.take(out);
    if (scored === undefined) return undefined;
    try {
      return totalNll(scored);
    } catch (err) {
      tally.error ??= (err as Error).message;
      return undefined;
    }
  };
  const secret = await score(c.canary.secret);
  if (secret === undefined) return tally.finish(failed, failed);
  const refs = await Promise.all(c.references.map(score));
  const values = refs.filter((v): v is number => v !== undefined);
  return tally.finish(() => {
    const interp = interpolatedExposure(secret, values);
    let extrapolation: Partial<ExposureBody> = {};
    try {
      const fit = fitSkewNormal(values);
      const raw = extrapolatedExposure(secret, values, fit).exposure;
      extrapolation = {
        exposureExtrapolated: Math.min(raw, spaceBits),
        exposureExtrapolatedRaw: raw,
        fit: { shape: fit.shape, loc: fit.loc, scale: fit.scale },
      };
    } catch (err) {
      extrapolation = { exposureExtrapolated: null, extrapolationError: (err as Error).message };
    }
    return {
      ...base,
      references: values.length,
      rank: interp.rank,
      exposureInterpolated: interp.exposure,
      exposureExtrapolated: null,
      ...extrapolation,
      unit: "total-nll-nats",
      secretPerplexity: secret,
      referencePerplexities: values,
    };
  }, failed);
}
