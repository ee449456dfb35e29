import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import {
  type LogprobsRecord,
  logprobsLine,
  parseLogprobsJsonl,
  parseScoresJsonl,
  readLogprobsFile,
  readScoresInput,
  scoresLine,
} from "../../src/mia/offline-format.js";
import { configErrorMessage as thrown } from "../helpers/errors.js";
import { tempDir } from "../helpers/temp.js";

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
const one = (line: unknown): LogprobsRecord => parseLogprobsJsonl(jsonl(line), "lp.jsonl")[0]!;
const zero = { promptTokens: 0, completionTokens: 0 };

describe("logprobs file", () => {
  it("builds the attack inputs from full tokens: text, lowercase text, path, usage zeros", () => {
    const r = one({
      id: "m-001",
      label: "member",
      text: "The Cat sat.",
      path: "completions-echo",
      tokens: [
        { token: " Cat", logprob: -1.2, offset: 3, top: [{ token: " Cat", logprob: -1.2 }] },
        { token: " sat", logprob: null, moments: { mean: -3, std: 1.5 } },
      ],
      reference: { tokens: [{ token: " Cat", logprob: -2 }] },
      lowercase: { logprobs: [-2.5] },
    });
    expect(r).toMatchObject({ id: "m-001", label: "member", path: "completions-echo", where: "lp.jsonl:1" });
    expect(r.hasText).toBe(true);
    expect(r.input.target).toEqual({
      text: "The Cat sat.",
      path: "completions-echo",
      usage: zero,
      tokens: [
        { token: " Cat", logprob: -1.2, offset: 3, top: [{ token: " Cat", logprob: -1.2 }] },
        { token: " sat", logprob: null, moments: { mean: -3, std: 1.5 } },
      ],
    });
    expect(r.input.reference).toEqual({
      text: "The Cat sat.",
      path: "completions-echo",
      usage: zero,
      tokens: [{ token: " Cat", logprob: -2 }],
    });
    expect(r.input.lowercase).toEqual({
      text: "the cat sat.",
      path: "completions-echo",
      usage: zero,
      tokens: [{ token: "", logprob: -2.5 }],
    });
    expect(r.input.perturbed).toBeUndefined();
  });

  it('accepts the logprobs shorthand everywhere; no text → "", no path → offline', () => {
    const r = one({
      id: "n-1",
      logprobs: [-1.2, -0.3, null],
      perturbed: [{ logprobs: [-2] }, { text: "a variant", tokens: [{ token: "a", logprob: -1 }] }],
      referencePerturbed: [{ logprobs: [-3], path: "gguf" }],
    });
    expect(r.label).toBeUndefined();
    expect(r.path).toBeUndefined();
    expect(r.hasText).toBe(false);
    expect(r.input.target).toEqual({
      text: "",
      path: "offline",
      usage: zero,
      tokens: [
        { token: "", logprob: -1.2 },
        { token: "", logprob: -0.3 },
        { token: "", logprob: null },
      ],
    });
    expect(r.input.perturbed?.map((p) => [p.text, p.path, p.tokens.length])).toEqual([
      ["", "offline", 1],
      ["a variant", "offline", 1],
    ]);
    expect(r.input.referencePerturbed?.[0]).toMatchObject({ path: "gguf", text: "" });
  });

  it("allows an empty token list, the same id under both labels, blank lines and a BOM", () => {
    const rs = parseLogprobsJsonl(
      `\uFEFF${jsonl({ id: "x", label: "member", tokens: [] }, "", "  ", { id: "x", label: "non-member", logprobs: [-1] })}\n`,
      "f",
    );
    expect(rs.map((r) => [r.id, r.label, r.where])).toEqual([
      ["x", "member", "f:1"],
      ["x", "non-member", "f:4"],
    ]);
  });

  it.each([
    [
      "bad JSON",
      ["", '{"id": "a", "logprobs": [-1]', ""],
      /^lp\.jsonl:2: not JSON \(.*\); expected one JSON object per line$/,
    ],
    ["not an object", [[1, 2]], /^lp\.jsonl:1: \(top level\): expected object, got a list$/],
    ["missing tokens", [{ id: "a" }], /^lp\.jsonl:1: missing "tokens": expected "tokens" .* or "logprobs"/],
    [
      "both forms",
      [{ id: "a", tokens: [], logprobs: [] }],
      /^lp\.jsonl:1: give either "tokens" or "logprobs", not both$/,
    ],
    [
      "missing tokens in a perturbed copy",
      [{ id: "a", logprobs: [-1], perturbed: [{ logprobs: [-1] }, {}] }],
      /^lp\.jsonl:1: missing "tokens" in "perturbed\.1"/,
    ],
    ["missing id", [{ logprobs: [-1] }], /^lp\.jsonl:1: id: expected string/],
    [
      "unknown label",
      [{ id: "a", label: "train", logprobs: [-1] }],
      /^lp\.jsonl:1: label: expected one of "member", "non-member", got "train"$/,
    ],
    [
      "a loss instead of a logprob",
      [{ id: "a", tokens: [{ token: "x", logprob: 1.5 }] }],
      /^lp\.jsonl:1: tokens\.0\.logprob: expected a log-probability ≤ 0 \(a loss or NLL\? negate it\), got 1\.5$/,
    ],
    [
      "a string logprob",
      [{ id: "a", logprobs: [-1, "x"] }],
      /^lp\.jsonl:1: logprobs\.1: expected number, got "x"$/,
    ],
    [
      "a typo'd key",
      [{ id: "a", logprobs: [-1], perturbations: [] }],
      /^lp\.jsonl:1: .*unknown key "perturbations"$/,
    ],
    [
      "a duplicate id within a label",
      [
        { id: "a", label: "member", logprobs: [-1] },
        { id: "b", logprobs: [-1] },
        { id: "a", label: "member", logprobs: [-2] },
      ],
      /^lp\.jsonl:3: duplicate id "a" among members \(first at lp\.jsonl:1\); ids must be unique within a label$/,
    ],
  ])("rejects %s naming the line", (_name, lines, message) => {
    expect(thrown(() => parseLogprobsJsonl(jsonl(...lines), "lp.jsonl"))).toMatch(message);
  });

  it("logprobsLine writes what the reader reads back (shorthand when tokens carry only logprobs)", () => {
    const r = one({
      id: "m-1",
      label: "member",
      text: "Hello World",
      path: "gguf",
      tokens: [{ token: " World", logprob: -0.25, offset: 5, moments: { mean: -4, std: 2 } }],
      reference: { logprobs: [-1], path: "vllm-prompt-logprobs" },
      lowercase: { logprobs: [-2] },
      perturbed: [{ text: "Hello there", logprobs: [-3, null] }],
      referencePerturbed: [{ logprobs: [-4] }],
    });
    const line = logprobsLine({ id: r.id, label: "member", input: r.input });
    expect(JSON.parse(line)).toEqual({
      id: "m-1",
      label: "member",
      text: "Hello World",
      path: "gguf",
      tokens: [{ token: " World", logprob: -0.25, offset: 5, moments: { mean: -4, std: 2 } }],
      reference: { path: "vllm-prompt-logprobs", logprobs: [-1] },
      lowercase: { logprobs: [-2] },
      perturbed: [{ text: "Hello there", logprobs: [-3, null] }],
      referencePerturbed: [{ logprobs: [-4] }],
    });
    expect(one(JSON.parse(line)).input).toEqual(r.input);
    const bare = JSON.parse(
      logprobsLine({
        id: "x",
        omitText: true,
        input: {
          target: {
            text: "secret",
            path: "offline",
            usage: zero,
            tokens: [{ token: "", logprob: Number.NEGATIVE_INFINITY }],
          },
        },
      }),
    );
    expect(bare).toEqual({ id: "x", logprobs: [null] });
  });

  it("streams a file with CRLF line ends; a missing file is a ConfigError", async () => {
    const dir = await tempDir("memscan-offline-");
    const path = join(dir, "lp.jsonl");
    await writeFile(
      path,
      `${jsonl({ id: "a", logprobs: [-1] }, { id: "b", label: "member", logprobs: [-2] })}\r\n`,
    );
    const ids: string[] = [];
    for await (const r of readLogprobsFile(path)) ids.push(`${r.id}@${r.where}`);
    expect(ids).toEqual([`a@${path}:1`, `b@${path}:2`]);
    await writeFile(path, jsonl({ id: "a", logprobs: [-1] }, { id: "a", logprobs: [-2] }));
    await expect(async () => {
      for await (const _ of readLogprobsFile(path));
    }).rejects.toThrow(`${path}:2: duplicate id "a"`);
    await expect(async () => {
      for await (const _ of readLogprobsFile(join(dir, "nope.jsonl")));
    }).rejects.toThrow(ConfigError);
  });
});

describe("scores file", () => {
  it("parses scores lines and writes them back; non-finite scores become null", () => {
    const [r] = parseScoresJsonl(
      jsonl({
        id: "m-1",
        label: "member",
        path: "gguf",
        scores: { loss: -1.2, "min-k": null },
        approximate: ["min-k-plus-plus"],
      }),
      "s.jsonl",
    );
    expect(r).toEqual({
      id: "m-1",
      label: "member",
      path: "gguf",
      scores: { loss: -1.2, "min-k": null },
      approximate: ["min-k-plus-plus"],
      where: "s.jsonl:1",
    });
    expect(scoresLine({ id: "a", scores: { loss: Number.NaN, zlib: -0.1 }, approximate: [] })).toBe(
      '{"id":"a","scores":{"loss":null,"zlib":-0.1}}',
    );
  });

  it.each([
    [[{ id: "a" }], /^s\.jsonl:1: scores: expected record/],
    [[{ id: "a", scores: { loss: "high" } }], /^s\.jsonl:1: scores\.loss: expected number, got "high"$/],
    [[{ id: "a", label: "members", scores: {} }], /^s\.jsonl:1: label: expected one of/],
    [
      [
        { id: "a", label: "non-member", scores: {} },
        { id: "a", label: "non-member", scores: {} },
      ],
      /^s\.jsonl:2: duplicate id "a" among non-members/,
    ],
  ])("rejects %j naming the line", (lines, message) => {
    expect(thrown(() => parseScoresJsonl(jsonl(...lines), "s.jsonl"))).toMatch(message);
  });

  const ev = (e: Record<string, unknown>) => ({ v: 1, time: "2026-01-01T00:00:00Z", ...e });
  const score = (record: string, label: string, loss: number | null) =>
    ev({
      type: "mia.score",
      record,
      label,
      sha256: "0",
      path: "gguf",
      tokens: 3,
      requests: 1,
      scores: { loss, "min-k-plus-plus": -1 },
      journalKey: record,
    });

  it("reads a run folder's mia.score events: last per (label, record) wins; approximate from mia.result", async () => {
    const run = await tempDir("memscan-offline-run-");
    await writeFile(
      join(run, "events.jsonl"),
      `${jsonl(
        ev({ type: "run.started", runId: "r", memscanVersion: "0", seed: 1, plan: {}, resumed: false }),
        score("a", "member", -3),
        score("a", "non-member", -2),
        score("a", "member", -1),
        ev({ type: "mia.result", attack: "min-k-plus-plus", approximate: true }),
        ev({ type: "mia.result", attack: "loss", approximate: false }),
      )}\n`,
    );
    for (const path of [run, join(run, "events.jsonl")]) {
      const input = await readScoresInput(path);
      expect(input.kind).toBe("events");
      expect(input.records.map((r) => [r.id, r.label, r.scores.loss, r.path, r.approximate])).toEqual([
        ["a", "member", -1, "gguf", ["min-k-plus-plus"]],
        ["a", "non-member", -2, "gguf", ["min-k-plus-plus"]],
      ]);
    }
  });

  it("says what is wrong with an input that has nothing to measure", async () => {
    const dir = await tempDir("memscan-offline-empty-");
    await mkdir(join(dir, "run"));
    await writeFile(join(dir, "run", "events.jsonl"), `${jsonl(ev({ type: "run.finished" }))}\n`);
    await expect(readScoresInput(join(dir, "run"))).rejects.toThrow(
      /Expected mia\.score events in .*found none/,
    );
    await writeFile(join(dir, "empty.jsonl"), "\n");
    await expect(readScoresInput(join(dir, "empty.jsonl"))).rejects.toThrow(/Expected scores records in/);
    await expect(readScoresInput(join(dir, "missing.jsonl"))).rejects.toThrow(
      /Cannot read .*missing\.jsonl .*expected a scores file/,
    );
  });
});
