/**
 * `POST /v1/chat/completions` (B1) over a plain completion model.
 *
 * These models have no chat template, so messages are rendered as plain text: the `content` of each message,
 * in order, joined by a newline, with no role markers; the model continues that text. (Role markers would
 * add text the model never saw in training and blunt continuation probes.) The rendering is announced in the
 * `x-memscan-chat-rendering: plain` response header. A final assistant message is therefore continued as it
 * stands (assistant prefill), which is what vLLM's `continue_final_message: true` asks for; that field and
 * `add_generation_prompt` are accepted (booleans) and change nothing. Switch chat off (`features.chat: false`) to get a 404
 * instead, like a server with no chat route.
 */
import { randomUUID } from "node:crypto";
import { checkModel, type ServeContext, toSeed } from "./context.js";
import { type Body, bool, int, num, optInt, stops } from "./fields.js";
import { describe, HttpError } from "./http.js";
import { chatLogprobContent } from "./wire.js";

/** Default `max_tokens` for chat when neither `max_tokens` nor `max_completion_tokens` is given. */
export const CHAT_DEFAULT_MAX_TOKENS = 256;

const ROLES = new Set(["system", "developer", "user", "assistant"]);

/** Render messages as plain text (see the module comment). */
export function renderMessages(messages: unknown): string {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new HttpError(
      400,
      `Expected \`messages\` to be a non-empty array, got ${describe(messages)}.`,
      "messages",
      "invalid_type",
    );
  }
  return messages
    .map((m, i) => {
      const param = `messages[${i}]`;
      if (typeof m !== "object" || m === null)
        throw new HttpError(
          400,
          `Expected \`${param}\` to be an object, got ${describe(m)}.`,
          param,
          "invalid_type",
        );
      const { role, content } = m as { role?: unknown; content?: unknown };
      if (typeof role !== "string" || !ROLES.has(role)) {
        throw new HttpError(
          400,
          `Expected \`${param}.role\` to be one of ${[...ROLES].join(", ")}, got ${describe(role)}.`,
          `${param}.role`,
          "invalid_value",
        );
      }
      if (typeof content === "string") return content;
      if (
        Array.isArray(content) &&
        content.every(
          (p) =>
            typeof p === "object" &&
            p !== null &&
            (p as { type?: unknown }).type === "text" &&
            typeof (p as { text?: unknown }).text === "string",
        )
      ) {
        return content.map((p) => (p as { text: string }).text).join("");
      }
      throw new HttpError(
        400,
        `Expected \`${param}.content\` to be a string or text parts, got ${describe(content)}.`,
        `${param}.content`,
        "invalid_type",
      );
    })
    .join("\n");
}

/** Answer a chat completions request. */
export async function chatCompletions(body: Body, sc: ServeContext, signal: AbortSignal): Promise<unknown> {
  checkModel(body, sc);
  if (body.stream === true) {
    throw new HttpError(
      400,
      "Expected `stream` to be false or absent: memscan serve does not stream.",
      "stream",
    );
  }
  const prompt = renderMessages(body.messages);
  bool(body, "continue_final_message", false);
  bool(body, "add_generation_prompt", true);
  const { engine } = sc;
  const legacyMax = optInt(body, "max_tokens", 0, engine.contextSize);
  const maxTokens = int(
    body,
    "max_completion_tokens",
    legacyMax ?? CHAT_DEFAULT_MAX_TOKENS,
    0,
    engine.contextSize,
  );
  const temperature = num(body, "temperature", 1, 0, 2);
  const topP = num(body, "top_p", 1, 0, 1);
  const seed = optInt(body, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const stop = stops(body, "stop");
  const n = int(body, "n", 1, 1, 16);
  const logprobs = bool(body, "logprobs", false);
  const top = optInt(body, "top_logprobs", 0, sc.maxLogprobs);
  if (top !== undefined && !logprobs) {
    throw new HttpError(
      400,
      "Expected `logprobs` to be true when `top_logprobs` is set.",
      "top_logprobs",
      "invalid_value",
    );
  }
  const choices: unknown[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (let i = 0; i < n; i++) {
    const g = await engine.generate(prompt, {
      maxTokens,
      temperature,
      topP,
      ...(seed !== undefined && { seed: toSeed(seed, i) }),
      stop,
      logprobs,
      topLogprobs: top ?? 0,
      signal,
    });
    promptTokens = g.promptTokens;
    completionTokens += g.generatedTokens;
    choices.push({
      index: i,
      message: { role: "assistant", content: g.text, refusal: null },
      logprobs: logprobs
        ? { content: chatLogprobContent(engine, g.scores ?? [], top ?? 0), refusal: null }
        : null,
      finish_reason: g.finishReason,
    });
  }
  return {
    id: `chatcmpl-${randomUUID().replaceAll("-", "")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: sc.modelName,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}
