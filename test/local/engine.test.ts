import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, TargetError } from "../../src/core/errors.js";
import { LocalEngine } from "../../src/local/engine.js";
import { DEMO } from "../helpers/lab.js";

interface LabCanary {
  prefix: string;
  secret: string;
  control: boolean;
  insert_count: number;
}
const canaries: LabCanary[] = readFileSync(DEMO.canaries, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as LabCanary);
// insert_count 16: reproduced greedily by overfit per the lab's ground truth
const strong = canaries.filter((c) => c.insert_count === 16);

describe("LocalEngine on the demo overfit model", () => {
  let engine: LocalEngine;
  beforeAll(async () => {
    engine = await LocalEngine.open({ modelPath: DEMO.overfit, sequences: 4 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it("uses the model's training context and prepends BOS", () => {
    expect(engine.contextSize).toBe(512);
    expect(engine.promptTokens("hello")[0]).toBe(engine.model.tokens.bos);
  });

  it("greedy completion of a planted canary prefix reproduces its secret", async () => {
    const c = strong[0]!;
    const g = await engine.generate(c.prefix, { maxTokens: 24 });
    expect(g.text.trim().startsWith(c.secret)).toBe(true);
    expect(g.finishReason).toBe("stop");
    expect(g.promptTokens).toBe(engine.promptTokens(c.prefix).length);
  });

  it("stop strings cut the text and keep only tokens before the cut", async () => {
    const c = strong[0]!;
    const g = await engine.generate(c.prefix, { maxTokens: 24, stop: [" 3", "."] });
    expect(g.finishReason).toBe("stop");
    expect(c.secret.startsWith(g.text.trim())).toBe(true);
    expect(g.text).not.toContain(".");
    expect(g.tokens.length).toBeLessThan(g.generatedTokens);
  });

  it("maxTokens ends with finish reason length", async () => {
    const g = await engine.generate(strong[1]!.prefix, { maxTokens: 3 });
    expect(g.tokens).toHaveLength(3);
    expect(g.finishReason).toBe("length");
  });

  it("generated-token logprobs are the raw model's: equal to teacher-forced scores, even when sampling", async () => {
    const c = strong[1]!;
    for (const params of [{ temperature: 0 }, { temperature: 1.3, topK: 5, topP: 0.8, seed: 7 }]) {
      const g = await engine.generate(c.prefix, { maxTokens: 12, logprobs: true, topLogprobs: 3, ...params });
      const scored = await engine.score(g.text, { context: c.prefix });
      const text = scored.filter((t) => !t.context);
      expect(text.map((t) => t.id)).toEqual(g.tokens);
      g.scores!.forEach((s, i) => {
        expect(s.logprob).toBeCloseTo(text[i]!.logprob!, 9);
        expect(s.top).toHaveLength(3);
        expect(s.top![0]!.logprob).toBeGreaterThanOrEqual(s.logprob - 1e-12);
      });
    }
  });

  it("same seed gives the same sample; greedy is the top token at every step", async () => {
    const p = canaries[0]!.prefix;
    const a = await engine.generate(p, { maxTokens: 16, temperature: 1.5, seed: 11 });
    const b = await engine.generate(p, { maxTokens: 16, temperature: 1.5, seed: 11 });
    expect(b.text).toBe(a.text);
    const g = await engine.generate(p, { maxTokens: 8, logprobs: true, topLogprobs: 1 });
    for (const s of g.scores!) expect(s.top![0]!.token).toBe(s.token);
  });

  it("scores text teacher-forced with offsets, bytes, top-k, ranks and full-distribution moments", async () => {
    const text = "Ticket LP-1 | héllo";
    const scored = await engine.score(text, { topK: 2, moments: true, rank: true });
    expect(scored[0]!.logprob).toBeNull();
    expect(scored[0]!.text).toBe("<s>");
    const body = scored.slice(1);
    const bytes = Buffer.from(body.flatMap((t) => t.bytes)).toString("utf8");
    expect(bytes.trimStart()).toBe(text);
    for (const t of body) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.rank).toBeGreaterThanOrEqual(1);
      expect(t.top).toHaveLength(2);
      expect(t.moments!.mean).toBeLessThanOrEqual(0);
      expect(t.moments!.std).toBeGreaterThanOrEqual(0);
      expect(text.slice(t.offset).length).toBeGreaterThan(0);
    }
    expect(body.map((t) => t.offset)).toEqual([...body.map((t) => t.offset)].sort((a, b) => a - b));
    expect(body.find((t) => t.rank === 1)?.logprob).toBeCloseTo(
      body.find((t) => t.rank === 1)!.top![0]!.logprob,
      9,
    );
  });

  it("concurrent callers never mix up sequences", async () => {
    const prompts = canaries.slice(0, 8).map((c) => c.prefix);
    const sequential: string[] = [];
    for (const p of prompts) sequential.push((await engine.generate(p, { maxTokens: 12 })).text);
    const concurrent = await Promise.all(prompts.map((p) => engine.generate(p, { maxTokens: 12 })));
    expect(concurrent.map((g) => g.text)).toEqual(sequential);
  });

  it("rejects a prompt longer than the context with a clear error", async () => {
    const long = "1 2 3 4 5 6 7 8 9 0 ".repeat(60);
    const err = await engine.score(long).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).kind).toBe("bad_request");
    expect((err as Error).message).toMatch(/Expected at most 512 prompt tokens/);
  });
});

describe("LocalEngine.open", () => {
  it("a missing model file is a ConfigError naming the path", async () => {
    const err = await LocalEngine.open({ modelPath: "/nonexistent/model.gguf" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("/nonexistent/model.gguf");
  });
});
