/**
 * Response shapes checked at the adapter boundary (zod). A body that does not match becomes
 * `TargetError("malformed")` here, never a TypeError deep inside a probe or an attack.
 * Only the fields memscan reads are declared; unknown fields are ignored.
 */
import { z } from "zod";
import { type ErrorContext, targetError } from "./errors.js";

const logprob = z.number().nullable();

/** `usage` block of OpenAI-style responses (token counts; optional everywhere). */
export const usageSchema = z
  .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
  .nullish();

/** OpenAI legacy completions `logprobs` (also vLLM, with echo). */
export const completionLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(logprob),
  text_offset: z.array(z.number()).nullish(),
  top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullish(),
});
/** Parsed completions `logprobs`. */
export type CompletionLogprobs = z.infer<typeof completionLogprobsSchema>;

/** vLLM `prompt_logprobs` entry: token id -> {logprob, rank, decoded_token}. */
export const vllmPromptEntrySchema = z
  .record(
    z.string(),
    z.object({ logprob: z.number(), rank: z.number().nullish(), decoded_token: z.string().nullish() }),
  )
  .nullable();
/** One parsed vLLM `prompt_logprobs` position (null for the first token). */
export type VllmPromptEntry = z.infer<typeof vllmPromptEntrySchema>;

/** `POST /completions` response (OpenAI legacy, with vLLM's `prompt_logprobs` / `prompt_token_ids`). */
export const completionResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        text: z.string(),
        finish_reason: z.string().nullish(),
        logprobs: completionLogprobsSchema.nullish(),
        prompt_logprobs: z.array(vllmPromptEntrySchema).nullish(),
        prompt_token_ids: z.array(z.number()).nullish(),
      }),
    )
    .min(1),
  prompt_logprobs: z.array(vllmPromptEntrySchema).nullish(),
  usage: usageSchema,
});
/** Parsed completions response. */
export type CompletionResponse = z.infer<typeof completionResponseSchema>;

const chatTopSchema = z.object({ token: z.string(), logprob: z.number() });
/** One entry of chat `logprobs.content`. */
export const chatTokenSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.number()).nullish(),
  top_logprobs: z.array(chatTopSchema).nullish(),
});
/** Parsed chat `logprobs.content` entry. */
export type ChatToken = z.infer<typeof chatTokenSchema>;

/** `POST /chat/completions` response (OpenAI; also @huggingface/inference chatCompletion). */
export const chatResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
        logprobs: z.object({ content: z.array(chatTokenSchema).nullish() }).nullish(),
      }),
    )
    .min(1),
  usage: usageSchema,
});
/** Parsed chat response. */
export type ChatResponse = z.infer<typeof chatResponseSchema>;

const tgiTokenSchema = z.object({
  id: z.number(),
  text: z.string(),
  logprob: logprob.optional(),
  special: z.boolean().optional(),
});
/** Parsed TGI token (`prefill`, `tokens`, `top_tokens` entries). */
export type TgiToken = z.infer<typeof tgiTokenSchema>;

/** TGI `POST /generate` with `details: true`. */
export const tgiResponseSchema = z.object({
  generated_text: z.string(),
  details: z
    .object({
      finish_reason: z.string().nullish(),
      generated_tokens: z.number().optional(),
      prefill: z.array(tgiTokenSchema).nullish(),
      tokens: z.array(tgiTokenSchema).nullish(),
      top_tokens: z.array(z.array(tgiTokenSchema)).nullish(),
    })
    .nullish(),
});
/** Parsed TGI `/generate` response. */
export type TgiResponse = z.infer<typeof tgiResponseSchema>;

/**
 * Parse `data` with `schema` or throw `TargetError("malformed")` naming the first problems.
 *
 * @example
 * const res = parseShape(chatResponseSchema, raw, { url, op: "chat" });
 */
export function parseShape<T>(schema: z.ZodType<T>, data: unknown, ctx: ErrorContext): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  const kind = typeof data === "string" ? "a non-JSON body" : `a body of the wrong shape (${issues})`;
  throw targetError("malformed", ctx, kind, { cause: r.error });
}
