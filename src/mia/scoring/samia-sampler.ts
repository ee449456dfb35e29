import type { CallTally } from "../../core/call-tally.js";
import type { Rng } from "../../core/rng.js";
import type { Scheduler } from "../../core/scheduler.js";
import { type Generation, supports, type Target } from "../../core/types.js";
import { continuation } from "../../probes/continuation.js";
import { FRAMINGS } from "../../probes/framings.js";
import { samiaScore, samiaSplit } from "../samia.js";

export const SAMIA_PATH = "samia";
/** The attacks of the sampling path: ROUGE-1 recall of sampled continuations, plain and zlib-weighted. */
export const SAMIA_ATTACKS = ["samia", "samia-zlib"] as const;

/** Options of the sampling path. */
export interface SamiaSamplingOptions {
  readonly scheduler: Scheduler;
  readonly samples: number;
  readonly rng: Rng;
  readonly tally: CallTally;
}

/**
 * SaMIA through a target without logprobs: prompt with the first half of the text's words, draw `samples`
 * seeded continuations at temperature 1 (raw completion when the target has it, else a "continue this
 * text" chat), and compare each with the true second half by ROUGE-1 recall. Undefined when a call failed.
 */
export async function samiaScores(
  target: Target,
  text: string,
  o: SamiaSamplingOptions,
): Promise<Record<(typeof SAMIA_ATTACKS)[number], number | null> | undefined> {
  const { prefix, suffix } = samiaSplit(text);
  if (prefix === "" || suffix.length === 0) return { samia: null, "samia-zlib": null };
  const mode = supports(target, "completion") ? "completion" : "chat";
  const { request } = continuation(mode, target.info, FRAMINGS.prefix, FRAMINGS.prefill, prefix, true);
  const maxTokens = Math.min(256, Math.max(16, Math.ceil(suffix.join(" ").length / 3)));
  const draws = await Promise.all(
    Array.from({ length: o.samples }, async (_, i) => {
      const params = { maxTokens, temperature: 1, seed: o.rng.fork(`sample:${i}`).nextU32() };
      const out = await o.scheduler.run(
        (signal) =>
          request.kind === "completion"
            ? target.complete!(request.prompt, params, { signal })
            : target.chat!(request.messages, params, { signal }),
        {
          estimatedTokens: Math.ceil(prefix.length / 4) + maxTokens,
          usage: (g: Generation) => g.usage.promptTokens + g.usage.completionTokens,
          rateLimit: (g: Generation) => g.rateLimit,
        },
      );
      return o.tally.take(out)?.text;
    }),
  );
  if (draws.some((d) => d === undefined)) return undefined;
  const texts = draws as string[];
  return { samia: samiaScore(texts, suffix), "samia-zlib": samiaScore(texts, suffix, { zlib: true }) };
}
