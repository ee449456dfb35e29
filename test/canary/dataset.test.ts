import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectDatasetFormat, parseDataset, recordText, serializeDataset } from "../../src/canary/dataset.js";
import { ConfigError } from "../../src/core/errors.js";
import { ROOT } from "../helpers/lab.js";

const fixture = (name: string) => readFile(join(ROOT, "test/fixtures/canary", name), "utf8");

describe("dataset formats", () => {
  it.each([
    ["chat.jsonl", "chat", 40],
    ["instruction.jsonl", "instruction", 20],
    ["docs.jsonl", "jsonl", 20],
    ["paragraphs.txt", "text", 15],
  ])("detects and parses %s as %s with %d records, and writes it back unchanged", async (name, format, n) => {
    const text = await fixture(name);
    expect(detectDatasetFormat(text, name)).toBe(format);
    const ds = parseDataset(text, name);
    expect(ds.format).toBe(format);
    expect(ds.records).toHaveLength(n);
    expect(serializeDataset(ds)).toBe(text);
  });

  it("reads instruction keys from the first record", async () => {
    const ds = parseDataset(await fixture("instruction.jsonl"), "i");
    expect(ds.keys).toEqual({ prompt: "prompt", response: "completion" });
    expect(recordText(ds, ds.records[0]!)).toBe(
      "Summarise ticket 0 about a refund.\nCustomer reported a refund; agent resolved it.",
    );
  });

  it("splits plain text by line when there are no blank lines", () => {
    const ds = parseDataset("one\ntwo\nthree\n", "t.txt");
    expect(ds.records).toEqual(["one", "two", "three"]);
    expect(ds.separator).toBe("\n");
  });

  it("says which line is broken and why", async () => {
    const text = await fixture("broken-chat.jsonl");
    expect(() => parseDataset(text, "broken-chat.jsonl")).toThrow(ConfigError);
    expect(() => parseDataset(text, "broken-chat.jsonl")).toThrow(
      /broken-chat\.jsonl line 3: expected one JSON object per line \(chat dataset\), got invalid JSON/,
    );
  });

  it.each([
    ['{"messages": []}', "chat", /line 1: expected `messages` to be a non-empty array/],
    [
      '{"messages": [{"role": "user", "content": [{"type": "text"}]}]}',
      "chat",
      /`messages\[0\]` to be \{role: string, content: string\}/,
    ],
    ['{"text": "a"}\n{"text": 3}', "jsonl", /line 2: expected `text` to be a string, got 3/],
    [
      '{"prompt": "a", "completion": "b"}\n{"prompt": "c"}',
      "instruction",
      /line 2: expected `completion` to be a string, got nothing/,
    ],
    ['{"title": "a"}', undefined, /line 1: expected a JSON object with `text`, `messages`/],
    ["[1, 2]", "jsonl", /line 1: expected a JSON object, got \[1,2\]/],
  ] as const)("rejects %s", (text, format, message) => {
    expect(() => parseDataset(text, "d.jsonl", format)).toThrow(message);
  });
});
