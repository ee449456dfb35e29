import { z } from "zod";
import { continuation } from "./continuation.js";
import { FRAMINGS } from "./framings.js";
import { chooseMode } from "./mode.js";
import { drawSeed, GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import type { AttemptSpec, Probe, ProbeContext } from "./types.js";
import { assertUniqueIds } from "./unique-ids.js";

const Params = z
  .object({
    /** Seeded samples at `sampleTemperature` per canary, after the greedy attempt (sample 0). */
    samples: z.number().int().min(0).max(1000).default(3),
    sampleTemperature: z.number().gt(0).max(5).default(1),
    /** Tokens beyond the secret's length in characters (a generous bound: at most one token per char). */
    extraTokens: z.number().int().min(0).default(8),
    framing: z.string().includes("{prefix}").default(FRAMINGS.canary),
    /** On chat-only targets that continue a final assistant message, put the canary's prefix there. */
    prefill: z.boolean().default(true),
    /** The user turn before the prefill (a short one suits models without chat training). */
    prefillUser: z.string().min(1).default(FRAMINGS.prefill),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `extraction.canary`. */
export type CanaryExtractionParams = z.output<typeof Params>;

/**
 * `extraction.canary`: prompt with each canary's prefix (controls included: attribution by content is the
 * detector's job), once greedy (sample 0) and `samples` times at temperature 1 with seeds drawn from ctx.rng.
 * maxTokens = secret length in chars + 8. Completion preferred (prompt = prefix); chat-only targets get a
 * framing, or an assistant prefill where the server supports it (`meta.via`). `meta` also carries the
 * prompted canary's insert count so reports can give hit rates per insert count.
 * Keys: `canary:<canaryId>:s<sample>`.
 */
export const canaryExtraction: Probe<CanaryExtractionParams> = {
  id: "extraction.canary",
  summary: "Prompt with each canary's prefix (greedy and sampled) and see whether the secret comes back.",
  references: ["https://arxiv.org/abs/1802.08232"],
  tags: ["extraction", "canary", "targeted"],
  requires: [["completion", "chat"]],
  detectors: ["canary"],
  needs: ["canaries"],
  defaults: parseWith("extraction.canary", Params, {}),
  parseParams: (input) => parseWith("extraction.canary", Params, input),
  *attempts(params: CanaryExtractionParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, "extraction.canary");
    assertUniqueIds(ctx.canaries, "canary", "extraction.canary");
    const seeds = ctx.rng.fork("seeds");
    for (const canary of ctx.canaries) {
      const { request, via } = continuation(
        mode,
        ctx.target,
        params.framing,
        params.prefillUser,
        canary.prefix,
        params.prefill,
      );
      const maxTokens = canary.secret.length + params.extraTokens;
      for (let sample = 0; sample <= params.samples; sample++) {
        const base =
          sample === 0
            ? { maxTokens, temperature: 0 }
            : { maxTokens, temperature: params.sampleTemperature, seed: drawSeed(seeds) };
        yield {
          key: `canary:${canary.id}:s${sample}`,
          request,
          params: mergeGen(base, params.gen),
          meta: {
            kind: "canary",
            canaryId: canary.id,
            sample,
            insertCount: canary.insertCount,
            control: canary.control,
            via,
          },
        };
      }
    }
  },
};
