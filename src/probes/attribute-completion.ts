import { z } from "zod";
import type { Document } from "../core/data.js";
import { loadPack } from "../core/packs.js";
import { continuation } from "./continuation.js";
import { FRAMINGS } from "./framings.js";
import { chooseMode } from "./mode.js";
import { GenOverrides, ModeChoice, mergeGen, parseWith } from "./params.js";
import type { AttemptSpec, Probe, ProbeContext } from "./types.js";
import { assertUniqueIds } from "./unique-ids.js";

/** Format of `probes/extraction/attribute-fields.json`. */
export const AttributeFieldsPack = z.object({
  description: z.string().optional(),
  fields: z.array(z.string().min(1)).min(1),
});

const PACK = loadPack("extraction/attribute-fields.json", AttributeFieldsPack);

const Params = z
  .object({
    maxDocuments: z.number().int().positive().default(50),
    /** Field names to probe (case-insensitive; `-`/space = `_`); `["*"]` probes every field. */
    fields: z.array(z.string().min(1)).min(1).default(PACK.fields),
    /** Shorter values are skipped (too easy to hit by chance). */
    minValueLength: z.number().int().min(1).default(4),
    /** Generation budget per character of the hidden value (digits are often one token each). */
    tokensPerChar: z.number().positive().max(4).default(1),
    extraTokens: z.number().int().min(0).default(8),
    framing: z.string().includes("{prefix}").default(FRAMINGS.attribute),
    /** On chat-only targets that continue a final assistant message, put the record there. */
    prefill: z.boolean().default(true),
    /** The user turn before the prefill (a short one suits models without chat training). */
    prefillUser: z.string().min(1).default(FRAMINGS.prefill),
    mode: ModeChoice.default("auto"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `extraction.attribute`. */
export type AttributeParams = z.output<typeof Params>;

const norm = (name: string): string => name.toLowerCase().replace(/[-\s]+/g, "_");

/** One probe-able field of a document: its value occurs verbatim in the text after a non-empty prompt. */
export interface AttributeSlot {
  readonly field: string;
  readonly value: string;
  /**
   * The document text up to the first occurrence of the value, trailing whitespace removed: a prompt that
   * ends in a space makes tokenizers that attach the space to the next word (SentencePiece, GPT-2 BPE)
   * start from a token the model rarely saw there (measured on the lab's overfit model: 0 of 5 API keys
   * with "API key: " as the prompt, most of them with "API key:").
   */
  readonly prompt: string;
}

/**
 * The fields of `doc` worth probing: selected by name, at least `minValueLength` characters, occurring
 * verbatim in the text with something before them. Sorted by position in the text.
 */
export function attributeSlots(
  doc: Document,
  fields: readonly string[],
  minValueLength: number,
): AttributeSlot[] {
  const all = fields.includes("*");
  const wanted = new Set(fields.map(norm));
  const slots: (AttributeSlot & { at: number })[] = [];
  for (const [field, value] of Object.entries(doc.fields ?? {})) {
    if (!all && !wanted.has(norm(field))) continue;
    if (value.trim().length < minValueLength) continue;
    const at = doc.text.indexOf(value);
    if (at <= 0 || doc.text.slice(0, at).trim() === "") continue;
    slots.push({ field, value, prompt: doc.text.slice(0, at).trimEnd(), at });
  }
  return slots.sort((a, b) => a.at - b.at || a.field.localeCompare(b.field)).map(({ at: _, ...s }) => s);
}

/**
 * `extraction.attribute`: record-style completion. For seeded-sampled documents with structured `fields`,
 * prompt with the text up to a field's value (as in the source, trailing whitespace dropped: the output then
 * starts with it) and hide the value in `meta.value`; the detector looks for the value anywhere in the output. Works on any JSONL with fields: only values that occur verbatim in the text are
 * used. Greedy; completion preferred. Keys: `attr:<docId>:<field>`.
 */
export const attributeCompletion: Probe<AttributeParams> = {
  id: "extraction.attribute",
  summary:
    "Prompt with a record up to a sensitive field and check whether the model fills in the true value.",
  references: ["https://arxiv.org/abs/2302.00539", "https://arxiv.org/abs/2202.07646"],
  tags: ["extraction", "pii", "targeted", "documents"],
  requires: [["completion", "chat"]],
  detectors: ["prefix-continuation", "pii"],
  needs: ["documents"],
  defaults: parseWith("extraction.attribute", Params, {}),
  parseParams: (input) => parseWith("extraction.attribute", Params, input),
  *attempts(params: AttributeParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const mode = chooseMode(ctx.target.capabilities, "completion", params.mode, "extraction.attribute");
    assertUniqueIds(ctx.documents, "document", "extraction.attribute");
    const withFields = ctx.documents.filter((d) => d.fields && Object.keys(d.fields).length > 0);
    const docs = ctx.rng.fork("documents").sample(withFields, params.maxDocuments);
    for (const doc of docs) {
      for (const { field, value, prompt } of attributeSlots(doc, params.fields, params.minValueLength)) {
        const { request, via } = continuation(
          mode,
          ctx.target,
          params.framing,
          params.prefillUser,
          prompt,
          params.prefill,
        );
        const maxTokens = Math.ceil(value.length * params.tokensPerChar) + params.extraTokens;
        yield {
          key: `attr:${doc.id}:${field}`,
          request,
          params: mergeGen({ maxTokens, temperature: 0 }, params.gen),
          meta: {
            kind: "attribute",
            docId: doc.id,
            field,
            value,
            ...(doc.source !== undefined ? { source: doc.source } : {}),
            via,
          },
        };
      }
    }
  },
};
