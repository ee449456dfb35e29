/**
 * Calls through `@huggingface/inference` (`InferenceClient`): chat completion and plain text
 * generation, for Inference Providers and Inference Endpoints. The client's own 503 retry is turned
 * off (`retry_on_error: false`): the scheduler is the one retry layer.
 */
import type { InferenceClient, InferenceProviderOrPolicy } from "@huggingface/inference";
import type { ChatMessage, Generation, GenParams } from "../../core/types.js";
import { startDeadline } from "./deadline.js";
import { type ErrorContext, toTargetError } from "./errors.js";
import { fromChatContent } from "./logprobs.js";
import { chatResponseSchema, parseShape } from "./schemas.js";

/** Everything an HF client call needs; built once at connect time. */
export interface HfConn {
  readonly client: InferenceClient;
  /** Where requests go: `{endpointUrl}` or `{model, provider}`. */
  readonly route:
    | { readonly endpointUrl: string }
    | { readonly model: string; readonly provider: InferenceProviderOrPolicy };
  /** For messages (no key). */
  readonly url: string;
  readonly timeoutMs: number;
  readonly secrets: readonly (string | undefined)[];
  /** Largest accepted chat `top_logprobs` (0 = none/unknown). */
  readonly maxTopLogprobs: number;
  readonly signal?: AbortSignal;
}

/** Per-call options for the client: our deadline's signal, no 503 retry, and a fetch that keeps the headers. */
interface CallOpts {
  readonly signal: AbortSignal;
  readonly retry_on_error: false;
  readonly fetch: typeof fetch;
}

async function guarded<T>(
  conn: HfConn,
  op: string,
  signal: AbortSignal | undefined,
  fn: (o: CallOpts) => Promise<T>,
) {
  const both = signal && conn.signal ? AbortSignal.any([signal, conn.signal]) : (signal ?? conn.signal);
  const d = startDeadline(conn.timeoutMs, both);
  const ctx: ErrorContext = { url: conn.url, op, secrets: conn.secrets };
  let headers: Headers | undefined;
  const keep: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    headers = res.headers;
    return res;
  };
  try {
    return { value: await fn({ signal: d.signal, retry_on_error: false, fetch: keep }), ctx };
  } catch (err) {
    throw toTargetError(err, {
      ...ctx,
      timedOut: d.timedOut,
      aborted: d.aborted,
      ...(headers ? { headers } : {}),
    });
  } finally {
    d.done();
  }
}

/** Chat completion through the client (OpenAI-style body on `/v1/chat/completions`). */
export async function hfChat(
  conn: HfConn,
  messages: readonly ChatMessage[],
  params: GenParams,
  signal?: AbortSignal,
) {
  const k =
    conn.maxTopLogprobs > 0
      ? Math.min(params.topLogprobs ?? 0, conn.maxTopLogprobs)
      : (params.topLogprobs ?? 0);
  const wantLp = params.logprobs === true || k > 0;
  const { value, ctx } = await guarded(conn, "chat completion (@huggingface/inference)", signal, (o) =>
    conn.client.chatCompletion(
      {
        ...conn.route,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        max_tokens: params.maxTokens,
        temperature: params.temperature,
        ...(params.topP !== undefined ? { top_p: params.topP } : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
        ...(params.stop?.length ? { stop: [...params.stop] } : {}),
        ...(wantLp ? { logprobs: true, ...(k > 0 ? { top_logprobs: k } : {}) } : {}),
      },
      o,
    ),
  );
  const res = parseShape(chatResponseSchema, value, ctx);
  const choice = res.choices[0]!;
  const content = choice.logprobs?.content;
  const gen: Generation = {
    text: choice.message.content ?? "",
    ...(wantLp && content ? { tokens: fromChatContent(content, k > 0) } : {}),
    ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
    usage: {
      promptTokens: res.usage?.prompt_tokens ?? 0,
      completionTokens: res.usage?.completion_tokens ?? 0,
    },
  };
  return gen;
}

/** Text generation through the client: text only (recent clients drop `details`). */
export async function hfTextGeneration(
  conn: HfConn,
  prompt: string,
  params: GenParams,
  signal?: AbortSignal,
) {
  const { value } = await guarded(conn, "text generation (@huggingface/inference)", signal, (o) =>
    conn.client.textGeneration(
      {
        ...conn.route,
        inputs: prompt,
        parameters: {
          max_new_tokens: params.maxTokens,
          ...(params.temperature > 0
            ? { temperature: params.temperature, do_sample: true }
            : { do_sample: false }),
          ...(params.topP !== undefined ? { top_p: params.topP } : {}),
          ...(params.seed !== undefined ? { seed: params.seed } : {}),
          ...(params.stop?.length ? { stop: [...params.stop] } : {}),
        },
      },
      o,
    ),
  );
  const gen: Generation = { text: value.generated_text, usage: { promptTokens: 0, completionTokens: 0 } };
  return gen;
}
