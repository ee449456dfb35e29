import { ConfigError, errorMessage } from "../core/errors.js";
import { Fields, isRecord, shown } from "./fields.js";

/**
 * Fine-tuning datasets the planter understands:
 * - `text`: plain text, one document per paragraph (blank-line separated) or, with no blank lines, per line;
 * - `jsonl`: JSONL objects with a string `text` field (other fields kept);
 * - `chat`: OpenAI chat fine-tuning JSONL, `{"messages": [{"role", "content"}, ...]}`;
 * - `instruction`: JSONL with `instruction` or `prompt` and `response`, `completion` or `output`.
 */
export const DATASET_FORMATS = ["text", "jsonl", "chat", "instruction"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One record: a string for `text`, a JSON object otherwise. */
export type DatasetRecord = string | Readonly<Record<string, unknown>>;

/** A parsed dataset; {@link serializeDataset} writes it back in the same format. */
export interface Dataset {
  readonly format: DatasetFormat;
  readonly records: readonly DatasetRecord[];
  /** `text` only: between documents ("\n\n" paragraphs or "\n" lines). */
  readonly separator: string;
  /** `instruction` only: the prompt and response field names found in the first record. */
  readonly keys?: { readonly prompt: string; readonly response: string };
}

/** The original line of each parsed JSONL record, so untouched records are written back byte for byte. */
const RAW_LINES = new WeakMap<object, string>();

const PROMPT_KEYS = ["instruction", "prompt"];
const RESPONSE_KEYS = ["response", "completion", "output"];

/** Guess the format from the first non-blank line: not a JSON object → `text`. */
export function detectDatasetFormat(text: string, source: string): DatasetFormat {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "");
  if (first === undefined) return "text";
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    return "text";
  }
  if (!isRecord(value)) return "text";
  if ("messages" in value) return "chat";
  const keys = Object.keys(value);
  if (keys.some((k) => PROMPT_KEYS.includes(k)) && keys.some((k) => RESPONSE_KEYS.includes(k)))
    return "instruction";
  if ("text" in value) return "jsonl";
  throw new ConfigError(
    `${source} line 1: expected a JSON object with \`text\`, \`messages\`, or \`instruction\`/\`prompt\` + \`response\`/\`completion\`/\`output\`, got keys ${shown(keys)}; pass the dataset format explicitly or fix the file`,
  );
}

/**
 * Parse a dataset (format auto-detected when omitted).
 *
 * @throws ConfigError naming the line and the reason when a record cannot be read.
 */
export function parseDataset(
  text: string,
  source: string,
  format = detectDatasetFormat(text, source),
): Dataset {
  if (format === "text") {
    const separator = /\n[ \t]*\r?\n/.test(text.trim()) ? "\n\n" : "\n";
    const splitter = separator === "\n\n" ? /\r?\n[ \t]*\r?\n+/ : /\r?\n/;
    const records =
      text.trim() === ""
        ? []
        : text
            .trim()
            .split(splitter)
            .filter((d) => d.trim() !== "");
    return { format, records, separator };
  }
  const records: Record<string, unknown>[] = [];
  let keys: Dataset["keys"];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const place = { source, where: `line ${i + 1}` };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ConfigError(
        `${source} line ${i + 1}: expected one JSON object per line (${format} dataset), got invalid JSON (${errorMessage(err)})`,
      );
    }
    if (!isRecord(value))
      throw new ConfigError(`${source} line ${i + 1}: expected a JSON object, got ${shown(value)}`);
    const f = new Fields(
      value,
      place,
      `fix that record or pass the right dataset format (${DATASET_FORMATS.join(", ")})`,
    );
    if (format === "jsonl") f.string("text");
    else if (format === "chat") checkMessages(f);
    else {
      keys ??= {
        prompt: f.pick(...PROMPT_KEYS) ?? "instruction",
        response: f.pick(...RESPONSE_KEYS) ?? "response",
      };
      f.string(keys.prompt);
      f.string(keys.response);
    }
    RAW_LINES.set(value, line);
    records.push(value);
  });
  return { format, records, separator: "\n", ...(keys ? { keys } : {}) };
}

function checkMessages(f: Fields): void {
  const messages = f.obj.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ConfigError(
      `${f.place.source} ${f.place.where}: expected \`messages\` to be a non-empty array, got ${shown(messages)}`,
    );
  }
  messages.forEach((m, j) => {
    if (!isRecord(m) || typeof m.role !== "string" || typeof m.content !== "string") {
      throw new ConfigError(
        `${f.place.source} ${f.place.where}: expected \`messages[${j}]\` to be {role: string, content: string}, got ${shown(m)}; multi-part content is not supported`,
      );
    }
  });
}

/**
 * Write a dataset back in its own format (JSONL: one object per line; text: its separator). Records
 * read by {@link parseDataset} and not replaced keep their original line exactly.
 */
export function serializeDataset(ds: Dataset): string {
  if (ds.records.length === 0) return "";
  const lines = ds.records.map((r) => (typeof r === "string" ? r : (RAW_LINES.get(r) ?? JSON.stringify(r))));
  return `${lines.join(ds.format === "text" ? ds.separator : "\n")}\n`;
}

/** All the text a record carries, joined by newlines (for counting what was planted). */
export function recordText(ds: Dataset, record: DatasetRecord): string {
  if (typeof record === "string") return record;
  if (ds.format === "jsonl") return String(record.text);
  if (ds.format === "chat")
    return (record.messages as { content: string }[]).map((m) => m.content).join("\n");
  return `${String(record[ds.keys!.prompt])}\n${String(record[ds.keys!.response])}`;
}
