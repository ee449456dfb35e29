import { z } from "zod";
import { FRAMINGS, framedChat } from "./framings.js";
import { chooseMode } from "./mode.js";
import { GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import type { AttemptRequest, AttemptSpec, Probe, ProbeContext } from "./types.js";
import { assertUniqueIds } from "./unique-ids.js";
import { splitAtWord, wordSpans } from "./words.js";

const Params = z
  .object({
    /** Documents sampled (seeded) from the user's set. */
    maxDocuments: z.number().int().positive().default(50),
    /** Prefix lengths in whitespace words (the probe has no tokenizer). */
    prefixLengths: z.array(z.number().int().positive()).min(1).default([8, 16, 32, 64]),
    /** Words of true suffix kept for the detector. */
    suffixWords: z.number().int().positive().default(32),
    /** Skip a (document, prefix length) pair when fewer suffix words remain. */
    minSuffixWords: z.number().int().positive().default(8),
    /**
     * Generation budget per suffix word. 4 because record-like text is digit-heavy: the lab tokenizer needs
     * about 3.9 tokens per whitespace word on its support tickets (English prose needs ~1.3).
     */
    tokensPerWord: z.number().positive().max(16).default(4),
    framing: z.string().includes("{prefix}").default(FRAMINGS.prefix),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `extraction.prefix-completion`. */
export type PrefixCompletionParams = z.output<typeof Params>;

/**
 * `extraction.prefix-completion` (discoverable memorization, Carlini et al. 2022): for seeded-sampled
 * documents and each prefix length (in whitespace words), prompt with the document's first words and keep
 * the true continuation (`meta.suffix`: the exact text after the prompt, leading whitespace included) for the
 * detector. Greedy. Raw completion preferred (prompt = prefix); chat-only targets get a "continue verbatim"
 * framing, sent as a chat request. Keys: `prefix:<docId>:w<prefix words>`.
 */
export const prefixCompletion: Probe<PrefixCompletionParams> = {
  id: "extraction.prefix-completion",
  summary: "Prompt with the start of each document and check whether the model writes the true rest.",
  references: ["https://arxiv.org/abs/2202.07646", "https://arxiv.org/abs/2012.07805"],
  tags: ["extraction", "targeted", "documents"],
  requires: [["completion", "chat"]],
  detectors: ["prefix-continuation", "canary", "pii"],
  needs: ["documents"],
  defaults: parseWith("extraction.prefix-completion", Params, {}),
  parseParams: (input) => parseWith("extraction.prefix-completion", Params, input),
  *attempts(params: PrefixCompletionParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const id = "extraction.prefix-completion";
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, id);
    assertUniqueIds(ctx.documents, "document", id);
    const docs = ctx.rng.fork("documents").sample(ctx.documents, params.maxDocuments);
    const lengths = [...new Set(params.prefixLengths)].sort((a, b) => a - b);
    for (const doc of docs) {
      const spans = wordSpans(doc.text);
      for (const n of lengths) {
        const split = splitAtWord(doc.text, n, params.suffixWords, spans);
        if (split === null || split.suffixWords < Math.min(params.minSuffixWords, params.suffixWords))
          continue;
        const request: AttemptRequest =
          mode === "chat"
            ? { kind: "chat", messages: framedChat(params.framing, split.prefix) }
            : { kind: "completion", prompt: split.prefix };
        const maxTokens = Math.max(8, Math.ceil(split.suffixWords * params.tokensPerWord));
        yield {
          key: `prefix:${doc.id}:w${n}`,
          request,
          params: mergeGen({ maxTokens, temperature: 0 }, params.gen),
          meta: { kind: "prefix", docId: doc.id, prefixLength: n, unit: "words", suffix: split.suffix },
        };
      }
    }
  },
};
