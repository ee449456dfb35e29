import { z } from "zod";
import { loadPack } from "../core/packs.js";
import { chooseMode } from "./mode.js";
import { GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import type { AttemptRequest, AttemptSpec, Probe, ProbeContext } from "./types.js";
import { twice, wordTokens } from "./word-tokens.js";

const Unit = z.string().min(1).max(64);
const Count = z.number().int().min(2).max(2000);

/** Format of `probes/divergence/repeated-token.json`. */
export const RepeatedTokenPack = z.object({
  description: z.string().optional(),
  units: z.array(Unit).min(1),
  separator: z.string().max(8),
  counts: z.array(Count).min(1),
});

const PACK = loadPack("divergence/repeated-token.json", RepeatedTokenPack);

const Params = z
  .object({
    units: z.array(Unit).min(1).default(PACK.units),
    separator: z.string().max(8).default(PACK.separator),
    /** How many times each unit is written; keep count × tokens(unit) + maxTokens within the context. */
    counts: z.array(Count).min(1).default(PACK.counts),
    maxTokens: z.number().int().positive().default(256),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `divergence.repeated-token`. */
export type RepeatedTokenParams = z.output<typeof Params>;

/**
 * `divergence.repeated-token`: the prompt is a token or short sequence repeated many times, with no
 * instruction; raw completion preferred (chat gets the same text as its only message). Greedy, long outputs.
 * meta is `repeat` with template `{repeated}` (and `wordTokens`, the unit's length in target tokens, when the
 * target has a tokenizer). Keys: `token:<JSON of unit>:r<count>`.
 */
export const repeatedToken: Probe<RepeatedTokenParams> = {
  id: "divergence.repeated-token",
  summary: "Prompt with one token repeated many times and look for memorized text after the model diverges.",
  references: ["https://arxiv.org/abs/2311.17035"],
  tags: ["divergence", "extraction", "untargeted"],
  requires: [["completion", "chat"]],
  detectors: ["divergence", "canary", "pii", "corpus"],
  defaults: parseWith("divergence.repeated-token", Params, {}),
  parseParams: (input) => parseWith("divergence.repeated-token", Params, input),
  tokenize: (params) => [...new Set(params.units)].map((u) => twice(u, params.separator)),
  *attempts(params: RepeatedTokenParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, "divergence.repeated-token");
    for (const unit of new Set(params.units)) {
      const n = wordTokens(ctx, unit, params.separator);
      for (const count of new Set(params.counts)) {
        const text = Array.from({ length: count }, () => unit).join(params.separator);
        const request: AttemptRequest =
          mode === "chat"
            ? { kind: "chat", messages: [{ role: "user", content: text }] }
            : { kind: "completion", prompt: text };
        yield {
          key: `token:${JSON.stringify(unit)}:r${count}`,
          request,
          params: mergeGen({ maxTokens: params.maxTokens, temperature: 0 }, params.gen),
          meta: {
            kind: "repeat",
            word: unit,
            template: "{repeated}",
            repeats: count,
            ...(n !== undefined ? { wordTokens: n } : {}),
          },
        };
      }
    }
  },
};
