import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatasetFormat, parseDataset, recordText } from "../../src/canary/dataset.js";
import { generateCanaries } from "../../src/canary/generate.js";
import { plantCanaries } from "../../src/canary/plant.js";
import { ROOT } from "../helpers/lab.js";

const FIXTURES = join(ROOT, "test/fixtures/canary");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "memscan-plant-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const canaries = generateCanaries({ count: 5, controls: 2, insertCounts: [1, 2, 4, 8, 16], seed: 3 });

/** Re-read a planted file with the same format's reader; count each secret's occurrences. */
async function occurrences(path: string, format: DatasetFormat): Promise<Map<string, number>> {
  const ds = parseDataset(await readFile(path, "utf8"), path, format);
  const all = ds.records.map((r) => recordText(ds, r)).join("\n");
  return new Map(canaries.map((c) => [c.id, all.split(c.secret).length - 1]));
}

describe("plantCanaries", () => {
  it("round-trips: generate → plant into a chat dataset → re-read → each canary exactly insertCount times", async () => {
    const out = join(dir, "chat.planted.jsonl");
    const result = await plantCanaries(join(FIXTURES, "chat.jsonl"), canaries, { out, seed: 11 });
    expect(result.format).toBe("chat");
    expect(result.records).toBe(40 + 31);
    const counts = await occurrences(out, "chat");
    for (const c of canaries) expect(counts.get(c.id)).toBe(c.insertCount);
    expect(canaries.filter((c) => c.control).map((c) => counts.get(c.id))).toEqual([0, 0]);
    // A planted record is a user prefix and an assistant continuation.
    const ds = parseDataset(await readFile(out, "utf8"), out, "chat");
    const entry = result.log[0]!;
    const c = canaries.find((x) => x.id === entry.canaryId)!;
    expect(ds.records[entry.record]).toEqual({
      messages: [
        { role: "user", content: c.prefix },
        { role: "assistant", content: `${c.secret}.` },
      ],
    });
  });

  it("writes a planting log that matches the output", async () => {
    const out = join(dir, "docs.planted.jsonl");
    const result = await plantCanaries(join(FIXTURES, "docs.jsonl"), canaries, { out, seed: 2 });
    const log = (await readFile(result.logPath, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(log).toEqual(result.log);
    expect(log).toHaveLength(31);
    expect(result.logPath).toBe(`${out}.plant-log.jsonl`);
    const ds = parseDataset(await readFile(out, "utf8"), out, "jsonl");
    for (const e of result.log) {
      const c = canaries.find((x) => x.id === e.canaryId)!;
      expect(ds.records[e.record]).toEqual({ text: c.text });
    }
    const copies = result.log.filter((e) => e.canaryId === canaries[4]!.id).map((e) => e.copy);
    expect(copies.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it("is reproducible from the seed and moves with it", async () => {
    const a = await plantCanaries(join(FIXTURES, "docs.jsonl"), canaries, {
      out: join(dir, "s1.jsonl"),
      seed: 5,
    });
    const b = await plantCanaries(join(FIXTURES, "docs.jsonl"), canaries, {
      out: join(dir, "s2.jsonl"),
      seed: 5,
    });
    const c = await plantCanaries(join(FIXTURES, "docs.jsonl"), canaries, {
      out: join(dir, "s3.jsonl"),
      seed: 6,
    });
    expect(b.log).toEqual(a.log);
    expect(c.log).not.toEqual(a.log);
    expect(await readFile(join(dir, "s1.jsonl"), "utf8")).toBe(await readFile(join(dir, "s2.jsonl"), "utf8"));
  });

  it.each([
    ["instruction.jsonl", "instruction"],
    ["paragraphs.txt", "text"],
    ["chat.jsonl", "chat"],
  ] as const)("embeds copies in distinct existing records of %s", async (name, format) => {
    const few = generateCanaries({ count: 3, controls: 1, insertCounts: [1, 2, 3], seed: 9 });
    const out = join(dir, `embed-${name}`);
    const result = await plantCanaries(join(FIXTURES, name), few, { out, mode: "embed", seed: 1 });
    const ds = parseDataset(await readFile(out, "utf8"), out, format);
    const original = parseDataset(await readFile(join(FIXTURES, name), "utf8"), name, format);
    expect(ds.records).toHaveLength(original.records.length);
    expect(new Set(result.log.map((e) => e.record)).size).toBe(6);
    const all = ds.records.map((r) => recordText(ds, r)).join("\n");
    for (const c of few) expect(all.split(c.text!).length - 1).toBe(c.insertCount);
    for (const e of result.log) {
      expect(recordText(ds, ds.records[e.record]!)).toContain(few.find((c) => c.id === e.canaryId)!.text!);
    }
  });

  it("refuses to overwrite the input or an existing output", async () => {
    const input = join(dir, "mine.jsonl");
    await copyFile(join(FIXTURES, "docs.jsonl"), input);
    await expect(plantCanaries(input, canaries, { out: input })).rejects.toThrow(/got the input dataset/);
    await writeFile(join(dir, "exists.jsonl"), "");
    await expect(plantCanaries(input, canaries, { out: join(dir, "exists.jsonl") })).rejects.toThrow(
      /not to exist/,
    );
    await plantCanaries(input, canaries, { out: join(dir, "exists.jsonl"), overwrite: true });
    expect(await readFile(input, "utf8")).toBe(await readFile(join(FIXTURES, "docs.jsonl"), "utf8"));
  });

  it("refuses a dataset it cannot parse, naming the line", async () => {
    await expect(
      plantCanaries(join(FIXTURES, "broken-chat.jsonl"), canaries, { out: join(dir, "never.jsonl") }),
    ).rejects.toThrow(/broken-chat\.jsonl line 3: expected one JSON object per line/);
  });

  it("refuses embed mode when copies outnumber records", async () => {
    await expect(
      plantCanaries(join(FIXTURES, "docs.jsonl"), canaries, { out: join(dir, "e.jsonl"), mode: "embed" }),
    ).rejects.toThrow(/Expected at least 31 records .* got 20/);
  });
});
