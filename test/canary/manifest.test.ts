import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCanaries, readCanaries, writeManifest } from "../../src/canary/manifest.js";
import { ConfigError } from "../../src/core/errors.js";
import { DEMO, ROOT } from "../helpers/lab.js";

const FIX = join(ROOT, "test/fixtures/canary");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "memscan-manifest-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readCanaries", () => {
  it("reads the lab format (demo canaries)", async () => {
    const canaries = await readCanaries(DEMO.canaries);
    expect(canaries).toHaveLength(12);
    const first = canaries[0]!;
    expect(first.id).toBe("support-canary-00");
    expect(first.insertCount).toBe(1);
    expect(first.secret).toBe("4 4 3 7 0 2 5 7 7");
    expect(first.format).toEqual({
      kind: "digits",
      spaceSize: 1e9,
      render: "space-separated digits",
      n: 9,
      separator: " ",
    });
    expect(canaries.filter((c) => c.control).every((c) => c.insertCount === 0)).toBe(true);
    expect(canaries.filter((c) => c.control)).toHaveLength(2);
  });

  it("reads the memscan format, skipping blank lines, control defaulting from insertCount", async () => {
    const canaries = await readCanaries(join(FIX, "memscan.jsonl"));
    expect(canaries.map((c) => [c.id, c.insertCount, c.control])).toEqual([
      ["acct-00", 4, false],
      ["acct-01", 0, true],
    ]);
    expect(canaries[1]!.format?.wordlist).toBe("common-en");
  });

  it("reads a JSON array mixing both shapes", async () => {
    const canaries = await readCanaries(join(FIX, "array.json"));
    expect(canaries.map((c) => c.id)).toEqual(["lab-0", "native-1"]);
    expect(canaries[1]!.control).toBe(false);
    expect(canaries[1]!.format?.pattern).toBe("ACCT-####");
  });

  it("names file, line, field, expected and found on a bad value", async () => {
    const path = join(FIX, "bad-count.jsonl");
    await expect(readCanaries(path)).rejects.toThrow(ConfigError);
    await expect(readCanaries(path)).rejects.toThrow(
      /bad-count\.jsonl line 2: expected `insertCount` to be an integer ≥ 0, got "2"/,
    );
  });

  it.each([
    [
      '{"id":"a","prefix":"p","insertCount":1}',
      /line 1: expected `secret` to be a non-empty string, got nothing/,
    ],
    [
      '{"id":"a","prefix":"p","secret":"s","insertCount":2,"control":true}',
      /`insertCount` to be 0 for a control/,
    ],
    ["{not json", /line 1: expected one JSON object per line, got invalid JSON/],
    ["[1, 2]", /item 0: expected `\(entry\)` to be a JSON object, got 1/],
    [
      '{"id":"a","prefix":"p","secret":"s","insertCount":1}\n{"id":"a","prefix":"q","secret":"t","insertCount":1}',
      /line 2: expected a unique `id`, got "a" again \(first at line 1\)/,
    ],
    [
      '{"canary_id":"a","prefix":"p","secret":"s","insert_count":1,"secret_format":{"kind":"digits","space_size":-3}}',
      /`space_size` to be a positive number, got -3/,
    ],
  ])("rejects %s", (text, message) => {
    expect(() => parseCanaries(text, "m.jsonl")).toThrow(message);
  });

  it("refuses a missing file with a ConfigError", async () => {
    await expect(readCanaries(join(dir, "nope.jsonl"))).rejects.toThrow(
      /Expected a readable canary manifest/,
    );
  });
});

describe("writeManifest", () => {
  it("round-trips the demo canaries into the memscan format", async () => {
    const canaries = await readCanaries(DEMO.canaries);
    const out = join(dir, "round.jsonl");
    await writeManifest(out, canaries);
    expect(await readCanaries(out)).toEqual(canaries);
    const firstLine = (await readFile(out, "utf8")).split("\n")[0]!;
    expect(Object.keys(JSON.parse(firstLine))).toEqual([
      "id",
      "prefix",
      "secret",
      "text",
      "insertCount",
      "control",
      "format",
    ]);
  });
});
