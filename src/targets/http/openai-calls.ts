/**
 * The calls an `openai` target makes, one function per endpoint use: chat, completion, and
 * teacher-forced scoring through completions echo or vLLM `prompt_logprobs`. Each call runs under
 * one deadline, maps every failure to a `TargetError`, and validates the body at the boundary.
 */
import type OpenAI from "openai";
import type { z } from "zod";
import { parseRateLimitHeaders, type RateLimitInfo } from "../../core/rate-limit-headers.js";
import type { ChatMessage, Generation, GenParams, ScoredText, Usage } from "../../core/types.js";
import { startDeadline } from "./deadline.js";
import { type ErrorContext, targetError, toTargetError } from "./errors.js";
import { fromChatContent, fromCompletionLogprobs } from "./logprobs.js";
import { chatResponseSchema, completionResponseSchema, parseShape, type usageSchema } from "./schemas.js";
import { scoreFromEcho, scoreFromPromptLogprobs } from "./score-span.js";

/** Everything a call needs; built once at connect time. */
export interface OpenAiConn {
  readonly client: OpenAI;
  readonly model: string;
  /** Base URL for messages (no key). */
  readonly url: string;
  readonly timeoutMs: number;
  /** Scrubbed from every error message. */
  readonly secrets: readonly string[];
  /** Largest `top_logprobs` the server accepted (0 = unknown/none): requests are clamped to it. */
  readonly maxTopLogprobs: number;
  /** Extra signal every call honours (the connect-time signal while probing). */
  readonly signal?: AbortSignal;
  /**
   * The server continues a final assistant message when asked with vLLM's `continue_final_message`
   * (probed at connect time); such requests then carry it.
   */
  readonly prefill?: boolean;
}

/**
 * POST `path` (relative to the base URL, or an absolute URL such as the server root's `/tokenize`) with
 * `body` under a deadline; returns the parsed JSON (not yet shape-checked).
 */
export async function post(
  conn: OpenAiConn,
  path: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
) {
  const both = signal && conn.signal ? AbortSignal.any([signal, conn.signal]) : (signal ?? conn.signal);
  const d = startDeadline(conn.timeoutMs, both);
  const absolute = /^https?:\/\//.test(path);
  const op = `POST ${absolute ? new URL(path).pathname : path}`;
  const ctx: ErrorContext = { url: absolute ? path : `${conn.url}${path}`, op, secrets: conn.secrets };
  try {
    const { data, response } = await conn.client
      .post(path, { body, signal: d.signal, timeout: conn.timeoutMs + 1000 })
      .withResponse();
    return { data: data as unknown, ctx, rateLimit: rateLimitOf(response.headers) };
  } catch (err) {
    throw toTargetError(err, { ...ctx, timedOut: d.timedOut, aborted: d.aborted });
  } finally {
    d.done();
  }
}

/** The `x-ratelimit-*` allowance a response announced, or undefined when it sent none. */
function rateLimitOf(headers: Headers): RateLimitInfo | undefined {
  const info = parseRateLimitHeaders(headers);
  return Object.keys(info).length > 0 ? info : undefined;
}

function usageOf(u: z.infer<typeof usageSchema>): Usage {
  return { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
}

function topK(conn: OpenAiConn, params: GenParams): number {
  const k = params.topLogprobs ?? 0;
  return conn.maxTopLogprobs > 0 ? Math.min(k, conn.maxTopLogprobs) : k;
}

/** Sampling fields shared by chat and completions; only defined values are sent. */
export function samplingFields(params: GenParams): Record<string, unknown> {
  return {
    max_tokens: params.maxTokens,
    temperature: params.temperature,
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    ...(params.topK !== undefined ? { top_k: params.topK } : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.stop?.length ? { stop: [...params.stop] } : {}),
  };
}

/** vLLM's way to continue the final assistant message instead of starting a new one. */
export const PREFILL_FIELDS = { continue_final_message: true, add_generation_prompt: false } as const;

/** `POST /chat/completions`; generated-token logprobs when `params.logprobs` or `topLogprobs` ask. */
export async function chatCall(
  conn: OpenAiConn,
  messages: readonly ChatMessage[],
  params: GenParams,
  signal?: AbortSignal,
): Promise<Generation> {
  const k = topK(conn, params);
  const wantLp = params.logprobs === true || k > 0;
  const prefill = conn.prefill === true && messages.at(-1)?.role === "assistant";
  const body = {
    model: conn.model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    ...(prefill ? PREFILL_FIELDS : {}),
    ...samplingFields(params),
    ...(wantLp ? { logprobs: true, ...(k > 0 ? { top_logprobs: k } : {}) } : {}),
  };
  const { data, ctx, rateLimit } = await post(conn, "/chat/completions", body, signal);
  const res = parseShape(chatResponseSchema, data, ctx);
  const choice = res.choices[0]!;
  const content = choice.logprobs?.content;
  return {
    text: choice.message.content ?? "",
    ...(wantLp && content ? { tokens: fromChatContent(content, k > 0) } : {}),
    ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
    usage: usageOf(res.usage),
    ...(rateLimit ? { rateLimit } : {}),
  };
}

/** `POST /completions` (raw prompt, no chat template). */
export async function completeCall(
  conn: OpenAiConn,
  prompt: string,
  params: GenParams,
  signal?: AbortSignal,
): Promise<Generation> {
  const k = topK(conn, params);
  const wantLp = params.logprobs === true || k > 0;
  const body = {
    model: conn.model,
    prompt,
    ...samplingFields(params),
    ...(wantLp ? { logprobs: Math.max(1, k) } : {}),
  };
  const { data, ctx, rateLimit } = await post(conn, "/completions", body, signal);
  const res = parseShape(completionResponseSchema, data, ctx);
  const choice = res.choices[0]!;
  const lp = choice.logprobs;
  // Without echo, OpenAI's text_offset counts from the start of the prompt.
  const base = lp?.text_offset?.[0] !== undefined && lp.text_offset[0] >= prompt.length ? prompt.length : 0;
  return {
    text: choice.text,
    ...(wantLp && lp ? { tokens: fromCompletionLogprobs(lp, { base, withTop: k > 0 }) } : {}),
    ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
    usage: usageOf(res.usage),
    ...(rateLimit ? { rateLimit } : {}),
  };
}

/** How a server scores given text: echoed completions logprobs, or vLLM `prompt_logprobs`. */
export type ScorePath = "completions-echo" | "vllm-prompt-logprobs";

/** Teacher-forced scores of `text` (after `context`, which is scored as conditioning only). */
export async function scoreCall(
  conn: OpenAiConn,
  path: ScorePath,
  text: string,
  context = "",
  signal?: AbortSignal,
  topLogprobs = 0,
): Promise<ScoredText> {
  const prompt = context + text;
  const k = conn.maxTopLogprobs > 0 ? Math.min(topLogprobs, conn.maxTopLogprobs) : 0;
  const body =
    path === "completions-echo"
      ? { model: conn.model, prompt, echo: true, logprobs: Math.max(1, k), max_tokens: 1, temperature: 0 }
      : {
          model: conn.model,
          prompt,
          prompt_logprobs: 0,
          return_token_ids: true,
          max_tokens: 1,
          temperature: 0,
        };
  const { data, ctx } = await post(conn, "/completions", body, signal);
  const res = parseShape(completionResponseSchema, data, ctx);
  const choice = res.choices[0]!;
  const usage = usageOf(res.usage);
  if (path === "completions-echo") {
    if (!choice.logprobs) throw targetError("malformed", ctx, "an echo response without `logprobs`");
    const tokens = scoreFromEcho(
      choice.logprobs,
      choice.text,
      prompt,
      context.length,
      res.usage?.prompt_tokens,
      k > 0,
    );
    return { text, tokens, path, usage };
  }
  const entries = choice.prompt_logprobs ?? res.prompt_logprobs;
  if (!entries) throw targetError("malformed", ctx, "a response without `prompt_logprobs`");
  const tokens = scoreFromPromptLogprobs(entries, choice.prompt_token_ids, prompt, context.length);
  return { text, tokens, path, usage };
}
