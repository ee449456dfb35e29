import type { Canary } from "../core/data.js";
import { Rng } from "../core/rng.js";
import { estimateTokens } from "../core/scheduler.js";
import type { Generation, GenParams } from "../core/types.js";
import { supports } from "../core/types.js";
import { formFor, matchSecret, NormCache } from "../detectors/secret.js";
import { emissionEstimate } from "./emission.js";
import { type ExposureBody, type MeasureContext, type Measured, Tally } from "./measure.js";

/** Did `output` contain the secret exactly (after the canary detector's normalisation)? */
export function emitted(secret: string, output: string): boolean {
  const hit = matchSecret(secret, formFor(secret), new NormCache(output), {
    nearThreshold: 0,
    minNearLength: Number.POSITIVE_INFINITY,
  });
  return hit?.exact === true;
}

/**
 * Generation-based evidence for a target without prompt logprobs: prompt with the canary's prefix (a raw
 * completion, or one user message on a chat-only target), draw the greedy output and `samples` seeded
 * samples at temperature 1, and count exact emissions of the secret. The result is an emission rate with
 * its exact one-sided 95% upper bound, labelled method `generation`: no rank, no exposure.
 */
export async function measureEmission(
  canary: Canary,
  samples: number,
  seed: number,
  ctx: MeasureContext,
): Promise<Measured> {
  const target = ctx.target;
  const tally = new Tally(ctx);
  const base = {
    canaryId: canary.id,
    insertCount: canary.insertCount,
    control: canary.control,
    method: "generation" as const,
    spaceBits: canary.format?.spaceSize ? Math.log2(canary.format.spaceSize) : null,
    references: 0,
    rank: null,
    exposureInterpolated: null,
    exposureExtrapolated: null,
  };
  const failed = (): ExposureBody => base;
  const maxTokens = Math.max(16, canary.secret.length + 8);
  const call = async (params: GenParams): Promise<boolean | undefined> => {
    const out = await ctx.scheduler.run(
      (signal): Promise<Generation> =>
        supports(target, "completion")
          ? target.complete(canary.prefix, params, { signal })
          : target.chat!([{ role: "user", content: canary.prefix }], params, { signal }),
      {
        estimatedTokens: estimateTokens(canary.prefix, maxTokens),
        usage: (g) => g.usage.promptTokens + g.usage.completionTokens,
      },
    );
    const g = tally.take(out);
    return g === undefined ? undefined : emitted(canary.secret, g.text);
  };
  if (!supports(target, "completion") && !supports(target, "chat")) {
    tally.error = `${target.info.id} can neither complete nor chat`;
    return tally.finish(failed, failed);
  }
  const greedy = await call({ maxTokens, temperature: 0 });
  const rng = new Rng(seed, `canary/emission/${canary.id}`);
  const seeds = Array.from({ length: samples }, () => rng.int(2 ** 31));
  const drawn = await Promise.all(seeds.map((s) => call({ maxTokens, temperature: 1, seed: s })));
  return tally.finish(() => {
    const hits = drawn.filter((h) => h === true).length;
    const e = emissionEstimate(hits, samples);
    return {
      ...base,
      emission: { samples, hits, rate: e.rate, upper: e.upper, greedy: greedy === true },
    };
  }, failed);
}
