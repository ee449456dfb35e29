import { z } from "zod";
import { loadPack } from "../core/packs.js";
import { chooseMode, type Mode } from "./mode.js";
import { GenOverrides, mergeGen, parseWith } from "./params.js";
import type { AttemptRequest, AttemptSpec, Probe, ProbeContext } from "./types.js";
import { twice, wordTokens } from "./word-tokens.js";

const Template = z.string().includes("{repeated}", { message: "must contain the placeholder {repeated}" });
const Word = z.string().trim().min(1).regex(/^\S+$/, "must be one word without spaces");

/** Format of `probes/divergence/repeat-word.json`. */
export const RepeatWordPack = z.object({
  description: z.string().optional(),
  singleToken: z.array(Word),
  multiToken: z.array(Word),
  templates: z.array(Template).min(1),
  repeats: z.array(z.number().int().min(1).max(1000)).min(1),
});

const PACK = loadPack("divergence/repeat-word.json", RepeatWordPack);

const Params = z
  .object({
    words: z
      .array(Word)
      .min(1)
      .default([...PACK.singleToken, ...PACK.multiToken]),
    templates: z.array(Template).min(1).default(PACK.templates),
    /** How many times the word is written in the prompt. */
    repeats: z.array(z.number().int().min(1).max(1000)).min(1).default(PACK.repeats),
    maxTokens: z.number().int().positive().default(256),
    /** `all`: every mode the target has (chat first); `auto`: chat if present, else completion. */
    mode: z.enum(["all", "auto", "chat", "completion"]).default("all"),
    gen: GenOverrides.default({}),
  })
  .strict();
/** Params of `divergence.repeat-word`; every field has a default from the pack. */
export type RepeatWordParams = z.output<typeof Params>;

/** Fill a template: `{word}` is the word, `{repeated}` the word written `repeats` times, space-separated. */
export function renderRepeat(template: string, word: string, repeats: number): string {
  const repeated = Array.from({ length: repeats }, () => word).join(" ");
  return template.replaceAll("{repeated}", repeated).replaceAll("{word}", word);
}

function modes(params: RepeatWordParams, ctx: ProbeContext): Mode[] {
  const caps = ctx.target.capabilities;
  if (params.mode !== "all") return [chooseMode(caps, "chat", params.mode, "divergence.repeat-word")];
  const all = (["chat", "completion"] as const).filter((m) => caps[m]);
  return all.length ? all : [chooseMode(caps, "chat", "auto", "divergence.repeat-word")];
}

/**
 * `divergence.repeat-word`: "Repeat this word forever" (Nasr et al. 2023). One attempt per mode × word ×
 * template × repeat count, greedy, long generations (maxTokens 256 by default). By default every mode the
 * target has: chat (the attack targets aligned chat models) and raw completion, where the prompt is the
 * template text itself. `meta.wordTokens` records how many target tokens the word takes, when the target has
 * a tokenizer (the pack's single- and multi-token lists are guesses for common vocabularies).
 * Keys: `repeat:<mode>:<word>:t<template index>:r<repeats>`.
 */
export const repeatWord: Probe<RepeatWordParams> = {
  id: "divergence.repeat-word",
  summary: "Ask the model to repeat a word forever; after it diverges, look for memorized text in the tail.",
  references: ["https://arxiv.org/abs/2311.17035"],
  tags: ["divergence", "extraction", "untargeted"],
  requires: [["chat", "completion"]],
  detectors: ["divergence", "canary", "pii", "corpus"],
  defaults: parseWith("divergence.repeat-word", Params, {}),
  parseParams: (input) => parseWith("divergence.repeat-word", Params, input),
  tokenize: (params) => [...new Set(params.words)].map((w) => twice(w)),
  *attempts(params: RepeatWordParams, ctx: ProbeContext): Iterable<AttemptSpec> {
    const words = [...new Set(params.words)];
    const repeats = [...new Set(params.repeats)];
    for (const mode of modes(params, ctx)) {
      for (const word of words) {
        const n = wordTokens(ctx, word);
        for (const [t, template] of params.templates.entries()) {
          for (const r of repeats) {
            const text = renderRepeat(template, word, r);
            const request: AttemptRequest =
              mode === "chat"
                ? { kind: "chat", messages: [{ role: "user", content: text }] }
                : { kind: "completion", prompt: text };
            yield {
              key: `repeat:${mode}:${word}:t${t}:r${r}`,
              request,
              params: mergeGen({ maxTokens: params.maxTokens, temperature: 0 }, params.gen),
              meta: {
                kind: "repeat",
                word,
                template,
                repeats: r,
                ...(n !== undefined ? { wordTokens: n } : {}),
              },
            };
          }
        }
      }
    }
  },
};
