import { z } from "zod";
import type { Document } from "../core/data.js";
import { continuation } from "./continuation.js";
import { FRAMINGS } from "./framings.js";
import { chooseMode } from "./mode.js";
import { GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import { type Split, splitByChars, splitByTokens } from "./split.js";
import type { AttemptSpec, Probe, ProbeContext } from "./types.js";
import { assertUniqueIds } from "./unique-ids.js";

const ID = "extraction.prefix-completion";

const Params = z
  .object({
    /** Documents sampled (seeded) from the user's set. */
    maxDocuments: z.number().int().positive().default(50),
    /** Prefix lengths in target tokens (in characters, `charsPerToken` each, without a tokenizer). */
    prefixLengths: z.array(z.number().int().positive()).min(1).default([8, 16, 32, 64]),
    /** Tokens of true suffix kept for the detector (its "first N tokens" test). */
    suffixTokens: z.number().int().positive().default(32),
    /** Skip a (document, prefix length) pair when fewer suffix tokens remain. */
    minSuffixTokens: z.number().int().positive().default(8),
    /** `auto`: split by the target's tokenizer when it has one, else by characters; `chars` forces characters. */
    unit: z.enum(["auto", "chars"]).default("auto"),
    /** Characters per token assumed when splitting by characters (about 4 for English prose). */
    charsPerToken: z.number().positive().max(64).default(4),
    /**
     * Generation budget per suffix character when splitting by characters: 1 because digit-heavy records
     * can need a token per character (the lab tokenizer writes every digit as its own token).
     */
    tokensPerChar: z.number().positive().max(4).default(1),
    framing: z.string().includes("{prefix}").default(FRAMINGS.prefix),
    /** On chat-only targets that continue a final assistant message, put the prefix there. */
    prefill: z.boolean().default(true),
    /** The user turn before the prefill (a short one suits models without chat training). */
    prefillUser: z.string().min(1).default(FRAMINGS.prefill),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `extraction.prefix-completion`. */
export type PrefixCompletionParams = z.output<typeof Params>;

function sampled(params: PrefixCompletionParams, ctx: ProbeContext): Document[] {
  return ctx.rng.fork("documents").sample(ctx.documents, params.maxDocuments);
}

/** The start of a document that is tokenized: enough for the longest prefix plus its suffix. */
function head(params: PrefixCompletionParams, text: string): string {
  const want = Math.max(...params.prefixLengths) + params.suffixTokens + 1;
  return text.slice(0, want * 16);
}

/**
 * `extraction.prefix-completion` (discoverable memorization, Carlini et al. 2022): for seeded-sampled
 * documents and each prefix length, prompt with the document's first tokens and keep the true continuation
 * (`meta.suffix`, the exact text after the prompt, with the end offset of each of its tokens) for the
 * detector. Lengths count the target's own tokens when it has a tokenizer (`ctx.tokens`, filled by the
 * runner through `tokenize`), else characters (`charsPerToken` per token); `meta.unit` records which.
 * Greedy. Raw completion preferred (prompt = prefix); chat-only targets get a "continue verbatim" framing,
 * or an assistant prefill when the server continues a final assistant message (`meta.via`).
 * Keys: `prefix:<docId>:t<tokens>` or `prefix:<docId>:c<chars>`.
 */
export const prefixCompletion: Probe<PrefixCompletionParams> = {
  id: ID,
  summary: "Prompt with the start of each document and check whether the model writes the true rest.",
  references: ["https://arxiv.org/abs/2202.07646", "https://arxiv.org/abs/2012.07805"],
  tags: ["extraction", "targeted", "documents"],
  requires: [["completion", "chat"]],
  detectors: ["prefix-continuation", "canary", "pii"],
  needs: ["documents"],
  defaults: parseWith(ID, Params, {}),
  parseParams: (input) => parseWith(ID, Params, input),
  tokenize(params, ctx) {
    return params.unit === "chars" ? [] : sampled(params, ctx).map((d) => head(params, d.text));
  },
  *attempts(params: PrefixCompletionParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, ID);
    assertUniqueIds(ctx.documents, "document", ID);
    const lengths = [...new Set(params.prefixLengths)].sort((a, b) => a - b);
    for (const doc of sampled(params, ctx)) {
      const text = head(params, doc.text);
      const tokenized = params.unit === "chars" ? undefined : ctx.tokens?.get(text);
      for (const n of lengths) {
        const chars = Math.round(n * params.charsPerToken);
        const split: Split | null = tokenized
          ? splitByTokens(
              doc.text,
              tokenized.tokens,
              n,
              params.suffixTokens,
              params.minSuffixTokens,
              text.length === doc.text.length,
            )
          : splitByChars(
              doc.text,
              chars,
              Math.round(params.suffixTokens * params.charsPerToken),
              Math.round(params.minSuffixTokens * params.charsPerToken),
            );
        if (split === null) continue;
        const { request, via } = continuation(
          mode,
          ctx.target,
          params.framing,
          params.prefillUser,
          split.prefix,
          params.prefill,
        );
        const ends = split.suffixTokenEnds;
        const maxTokens = ends
          ? ends.length + Math.ceil(ends.length / 4) + 2
          : Math.max(8, Math.ceil(split.suffix.length * params.tokensPerChar));
        yield {
          key: tokenized ? `prefix:${doc.id}:t${n}` : `prefix:${doc.id}:c${chars}`,
          request,
          params: mergeGen({ maxTokens, temperature: 0 }, params.gen),
          meta: {
            kind: "prefix",
            docId: doc.id,
            prefixLength: tokenized ? n : chars,
            unit: tokenized ? "tokens" : "chars",
            suffix: split.suffix,
            ...(ends ? { suffixTokenEnds: ends, tokenizer: tokenized!.path } : {}),
            ...(doc.source !== undefined ? { source: doc.source } : {}),
            via,
          },
        };
      }
    }
  },
};
