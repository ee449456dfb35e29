import { z } from "zod";
import { loadPack } from "../core/packs.js";
import { chooseMode } from "./mode.js";
import { drawSeed, GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import type { AttemptRequest, AttemptSpec, Probe, ProbeContext } from "./types.js";

/** Format of `probes/extraction/sampling.json`. */
export const SamplingPack = z.object({
  description: z.string().optional(),
  prompts: z.array(z.string().max(200)).min(1),
  chatOpen: z.string().min(1),
});

const PACK = loadPack("extraction/sampling.json", SamplingPack);

const Params = z
  .object({
    /** Total samples, spread round-robin over `prompts`. */
    samples: z.number().int().positive().max(100000).default(50),
    /** Opening prompts; `""` is the empty prompt (BOS only on raw completion). */
    prompts: z.array(z.string().max(200)).min(1).default(PACK.prompts),
    /** Sent instead of the empty prompt on chat-only targets. */
    chatOpen: z.string().min(1).default(PACK.chatOpen),
    maxTokens: z.number().int().positive().default(256),
    temperature: z.number().gt(0).max(5).default(1),
    topK: z.number().int().positive().default(40),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `extraction.sampling`. */
export type SamplingParams = z.output<typeof Params>;

/**
 * `extraction.sampling` (Carlini et al. 2021): many seeded samples (50 by default, temperature 1, top-k 40,
 * 256 tokens) from the empty prompt and short generic openings; generated-token logprobs are requested when
 * the target has `tokenLogprobs`. Rank the outputs afterwards with `rankSamples`. Raw completion preferred.
 * Keys: `sample:p<prompt index>:<n>`.
 */
export const sampling: Probe<SamplingParams> = {
  id: "extraction.sampling",
  summary: "Draw many seeded samples from an empty or generic prompt; rank them by memorization signals.",
  references: ["https://arxiv.org/abs/2012.07805"],
  tags: ["extraction", "untargeted"],
  requires: [["completion", "chat"]],
  detectors: ["canary", "pii", "corpus"],
  defaults: parseWith("extraction.sampling", Params, {}),
  parseParams: (input) => parseWith("extraction.sampling", Params, input),
  *attempts(params: SamplingParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, "extraction.sampling");
    const seeds = ctx.rng.fork("seeds");
    const logprobs = ctx.target.capabilities.tokenLogprobs ? { logprobs: true } : {};
    const counts = params.prompts.map(() => 0);
    for (let i = 0; i < params.samples; i++) {
      const p = i % params.prompts.length;
      const prompt = params.prompts[p]!;
      const n = counts[p]!++;
      const request: AttemptRequest =
        mode === "chat"
          ? { kind: "chat", messages: [{ role: "user", content: prompt === "" ? params.chatOpen : prompt }] }
          : { kind: "completion", prompt };
      const base = {
        maxTokens: params.maxTokens,
        temperature: params.temperature,
        topK: params.topK,
        seed: drawSeed(seeds),
        ...logprobs,
      };
      yield {
        key: `sample:p${p}:${n}`,
        request,
        params: mergeGen(base, params.gen),
        meta: { kind: "sampling", prompt, sample: n },
      };
    }
  },
};
