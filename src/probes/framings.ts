import { z } from "zod";
import { loadPack } from "../core/packs.js";
import type { ChatMessage } from "../core/types.js";

const withPrefix = z.string().includes("{prefix}", { message: "must contain the placeholder {prefix}" });

/** Format of `probes/extraction/framings.json`: chat framings for chat-only targets. */
export const FramingsPack = z.object({
  description: z.string().optional(),
  prefix: withPrefix,
  canary: withPrefix,
  attribute: withPrefix,
  /** The user turn before an assistant prefill (no placeholder: the text is the assistant's turn). */
  prefill: z.string().min(1),
});
export type FramingsPack = z.output<typeof FramingsPack>;

/** The shipped framings, validated once at module load. */
export const FRAMINGS: FramingsPack = loadPack("extraction/framings.json", FramingsPack);

/** A one-message chat asking the model to continue `prefix` under the given framing. */
export function framedChat(framing: string, prefix: string): ChatMessage[] {
  return [{ role: "user", content: framing.replaceAll("{prefix}", prefix) }];
}
