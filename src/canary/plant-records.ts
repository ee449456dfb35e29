import type { Canary } from "../core/data.js";
import type { Dataset, DatasetRecord } from "./dataset.js";

/** The planted sentence: the canary's `text`, or prefix + " " + secret + ".". */
export function canaryText(c: Canary): string {
  return c.text ?? `${c.prefix} ${c.secret}.`;
}

/** What follows the prefix in the planted sentence (the secret and any tail). */
function continuation(c: Canary): string {
  const text = canaryText(c);
  return text.startsWith(c.prefix) ? text.slice(c.prefix.length).trimStart() : `${c.secret}.`;
}

/**
 * A canary as a record of its own in the dataset's format. Chat and instruction records split the
 * sentence at the prefix (user/prompt = prefix, assistant/response = secret and tail), so prompting
 * the fine-tuned model with the prefix asks for exactly what was planted.
 */
export function canaryRecord(ds: Dataset, c: Canary): DatasetRecord {
  switch (ds.format) {
    case "text":
      return canaryText(c);
    case "jsonl":
      return { text: canaryText(c) };
    case "chat":
      return {
        messages: [
          { role: "user", content: c.prefix },
          { role: "assistant", content: continuation(c) },
        ],
      };
    case "instruction":
      return {
        [ds.keys?.prompt ?? "instruction"]: c.prefix,
        [ds.keys?.response ?? "response"]: continuation(c),
      };
  }
}

/**
 * An existing record with the canary sentence appended (after a space) to its main text: the text,
 * the `text` field, the last assistant message (else the last message), or the response field.
 */
export function embedCanary(ds: Dataset, record: DatasetRecord, c: Canary): DatasetRecord {
  const sentence = canaryText(c);
  const join = (s: string): string => (s === "" ? sentence : `${s} ${sentence}`);
  if (typeof record === "string") return join(record);
  if (ds.format === "jsonl") return { ...record, text: join(String(record.text)) };
  if (ds.format === "instruction") {
    const key = ds.keys!.response;
    return { ...record, [key]: join(String(record[key])) };
  }
  const messages = (record.messages as { role: string; content: string }[]).map((m) => ({ ...m }));
  let target = messages.map((m) => m.role).lastIndexOf("assistant");
  if (target < 0) target = messages.length - 1;
  messages[target]!.content = join(messages[target]!.content);
  return { ...record, messages };
}
