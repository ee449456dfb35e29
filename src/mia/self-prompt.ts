import type { CallTally } from "../core/call-tally.js";
import type { Rng } from "../core/rng.js";
import type { Scheduler } from "../core/scheduler.js";
import { type Generation, supports, type Target } from "../core/types.js";

/** Options of `selfPromptTexts`. */
export interface SelfPromptOptions {
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly tally: CallTally;
  /** Words of a domain text used as the prompt. Default 8 (SPV-MIA prompts with short chunks). */
  readonly promptWords?: number;
  /** Tokens generated per text. Default 128. */
  readonly maxTokens?: number;
  /** Sampling temperature. Default 1 (the target's own distribution). */
  readonly temperature?: number;
}

/**
 * SPV-MIA's self-prompt reference data: prompt the target with short chunks of domain text (never the
 * members: use public or held-out text of the same kind) and keep what it writes. A copy of the base model
 * fine-tuned on these texts is a reference that knows the domain but not the members, which is what
 * `reference` and `spv` need; a base model that never saw the domain calibrates badly (the lab's `mild`).
 * Text `i` is prompted with the first `promptWords` words of a seeded choice among `sources`, sampled with
 * seed `rng.fork(i)`, so a re-run reproduces the same texts. Undefined when a call failed (see the tally).
 */
export async function selfPromptText(
  target: Target,
  sources: readonly string[],
  i: number,
  o: SelfPromptOptions,
): Promise<{ readonly prompt: string; readonly text: string } | undefined> {
  const r = o.rng.fork(`self-prompt:${i}`);
  const words = r
    .pick(sources)
    .split(/\s+/)
    .filter((w) => w !== "");
  const prompt = words.slice(0, o.promptWords ?? 8).join(" ");
  const params = { maxTokens: o.maxTokens ?? 128, temperature: o.temperature ?? 1, seed: r.nextU32() };
  const out = await o.scheduler.run(
    (signal) =>
      supports(target, "completion")
        ? target.complete(prompt, params, { signal })
        : target.chat!([{ role: "user", content: `Continue this text:\n\n${prompt}` }], params, { signal }),
    {
      estimatedTokens: Math.ceil(prompt.length / 4) + params.maxTokens,
      usage: (g: Generation) => g.usage.promptTokens + g.usage.completionTokens,
      rateLimit: (g: Generation) => g.rateLimit,
    },
  );
  const g = o.tally.take(out);
  if (g === undefined) return undefined;
  return { prompt, text: supports(target, "completion") ? prompt + g.text : `${prompt} ${g.text}` };
}
