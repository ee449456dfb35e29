import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, TargetError } from "../../src/core/errors.js";
import { supports, type Target } from "../../src/core/types.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { DEMO } from "../helpers/lab.js";

const canaries = readFileSync(DEMO.canaries, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { prefix: string; secret: string; insert_count: number });
const canary = canaries.find((c) => c.insert_count === 16)!;

describe("gguf target on the demo overfit model", () => {
  let target: Target;
  beforeAll(async () => {
    target = await ggufTarget.connect({ model: DEMO.overfit, sequences: 2 });
  });
  afterAll(async () => {
    await target.close?.();
  });

  it("describes itself and its capabilities, and the methods match them", () => {
    expect(target.info.id).toBe("gguf:overfit");
    expect(target.info.family).toBe("gguf");
    expect(target.info.endpoint).toBe(DEMO.overfit);
    expect(target.info.capabilities).toEqual({
      chat: false,
      completion: true,
      tokenLogprobs: true,
      promptLogprobs: true,
      fullDistribution: true,
      multiSample: true,
      seed: true,
      logitBias: false,
    });
    expect(supports(target, "completion")).toBe(true);
    expect(supports(target, "promptLogprobs")).toBe(true);
    expect(supports(target, "chat")).toBe(false);
    expect(target.info.maxTopLogprobs).toBeGreaterThan(0);
  });

  it("greedy completion of a canary prefix returns the secret, with token logprobs and offsets", async () => {
    if (!supports(target, "completion")) throw new Error("unreachable");
    const g = await target.complete(canary.prefix, { maxTokens: 24, temperature: 0, topLogprobs: 2 });
    expect(g.text.trim().startsWith(canary.secret)).toBe(true);
    expect(g.finishReason).toBe("stop");
    expect(g.usage.completionTokens).toBe(g.tokens!.length);
    for (const t of g.tokens!) {
      expect(g.text.slice(t.offset!).startsWith(t.token)).toBe(true);
      expect(t.top).toHaveLength(2);
      expect(t.logprob).toBeLessThanOrEqual(0);
    }
    expect(g.tokens!.map((t) => t.token).join("")).toBe(g.text);
  });

  it("no token logprobs unless asked", async () => {
    const g = await target.complete!(canary.prefix, { maxTokens: 4, temperature: 0 });
    expect(g.tokens).toBeUndefined();
  });

  it("scoreText drops BOS and context, keeps offsets in the text, and gives moments", async () => {
    if (!supports(target, "promptLogprobs")) throw new Error("unreachable");
    const s = await target.scoreText(` ${canary.secret}.`, { context: canary.prefix });
    expect(s.path).toBe("gguf");
    expect(s.tokens.map((t) => t.token).join("")).toBe(` ${canary.secret}.`);
    expect(s.tokens[0]!.offset).toBe(0);
    for (const t of s.tokens) {
      expect(t.logprob).not.toBeNull();
      expect(t.moments!.std).toBeGreaterThanOrEqual(0);
    }
    // the memorized secret is near-certain after its prefix
    const mean = s.tokens.reduce((a, t) => a + t.logprob!, 0) / s.tokens.length;
    expect(mean).toBeGreaterThan(-0.5);
    const whole = await target.scoreText(canary.prefix);
    expect(whole.tokens.length).toBe(whole.usage.promptTokens - 1);
  });

  it("same seed, same sample", async () => {
    const p = { maxTokens: 12, temperature: 1.2, seed: 99 };
    const a = await target.complete!("Ticket LP-", p);
    const b = await target.complete!("Ticket LP-", p);
    expect(b.text).toBe(a.text);
  });

  it("an aborted call rejects with kind aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await target.complete!("Hi", { maxTokens: 4, temperature: 0 }, { signal: ac.signal }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).kind).toBe("aborted");
  });
});

describe("gguf target connect errors", () => {
  it.each([
    ["/no/such/model.gguf", /\/no\/such\/model\.gguf/],
    ["", /Expected `model` to be a path/],
  ])("%j -> ConfigError", async (model, msg) => {
    const err = await ggufTarget.connect({ model }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(msg);
  });

  it("a file that is not a GGUF is a ConfigError", async () => {
    const err = await ggufTarget.connect({ model: DEMO.canaries }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/GGUF/);
  });
});
