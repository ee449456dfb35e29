/** How a probe asks a target to continue a text: raw completion, a chat framing, or assistant prefill. */
import type { TargetInfo } from "../core/types.js";
import { framedChat } from "./framings.js";
import type { Mode } from "./mode.js";
import type { AttemptRequest, Via } from "./types.js";

/** A request that asks for the continuation of `text`, and how it asks. */
export interface Continuation {
  readonly request: AttemptRequest;
  readonly via: Via;
}

/**
 * Build the request: on `completion` the prompt is the text itself; on `chat`, when the target continues a
 * final assistant message (`info.chatPrefill`) and `prefill` is on, the user turn is `prefillUser` and the
 * assistant turn is the text; otherwise one user message with `framing` around the text.
 *
 * @example continuation("completion", info, FRAMINGS.prefix, FRAMINGS.prefill, "Ticket LP-1", true).via // "completion"
 */
export function continuation(
  mode: Mode,
  target: TargetInfo,
  framing: string,
  prefillUser: string,
  text: string,
  prefill: boolean,
): Continuation {
  if (mode === "completion") return { request: { kind: "completion", prompt: text }, via: "completion" };
  if (prefill && target.chatPrefill !== undefined) {
    return {
      request: {
        kind: "chat",
        messages: [
          { role: "user", content: prefillUser },
          { role: "assistant", content: text },
        ],
      },
      via: "chat-prefill",
    };
  }
  return { request: { kind: "chat", messages: framedChat(framing, text) }, via: "chat" };
}
