import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringTarget } from "../../src/core/types.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { DEMO } from "../helpers/lab.js";
import { demoCanaries, postJson } from "./serve-helpers.js";

interface Lp {
  tokens: string[];
  token_logprobs: Array<number | null>;
  top_logprobs: Array<Record<string, number> | null>;
  text_offset: number[];
}
interface Choice {
  text: string;
  finish_reason: string;
  logprobs: Lp | null;
  prompt_logprobs?: Array<Record<string, { logprob: number; rank: number; decoded_token: string }> | null>;
  prompt_token_ids?: number[];
}
const choicesOf = (json: Record<string, unknown>) => json.choices as Choice[];

const canary = demoCanaries.find((c) => c.insert_count === 16)!;
const TEXT = "Ticket LP-650042 | Priority: Low | Channel: web form";

describe("memscan serve: /v1/models and /v1/completions", () => {
  let server: RunningServer;
  let scorer: ScoringTarget;
  let url: string;
  beforeAll(async () => {
    server = await startServer({ modelPath: DEMO.overfit });
    url = server.url;
    scorer = (await ggufTarget.connect({
      model: DEMO.overfit,
      sequences: 1,
      moments: false,
    })) as ScoringTarget;
  });
  afterAll(async () => {
    await server.close();
    await scorer.close?.();
  });

  it("binds loopback and lists the model in OpenAI's shape", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/v1/models`);
    const json = (await res.json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(json.object).toBe("list");
    expect(json.data[0]).toMatchObject({ id: "overfit", object: "model" });
  });

  it("greedy completion of a planted canary prefix returns its secret", async () => {
    const { status, json } = await postJson(`${url}/v1/completions`, {
      model: "overfit",
      prompt: canary.prefix,
      max_tokens: 24,
      temperature: 0,
    });
    expect(status).toBe(200);
    const [c] = choicesOf(json);
    expect(c!.text.trim().startsWith(canary.secret)).toBe(true);
    expect(c!.finish_reason).toBe("stop");
    expect(json.object).toBe("text_completion");
    expect(json.usage).toMatchObject({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
    });
  });

  it("echo + logprobs: prompt tokens first, first null, values equal to the engine's scoreText", async () => {
    const { json } = await postJson(`${url}/v1/completions`, {
      prompt: TEXT,
      max_tokens: 2,
      temperature: 0,
      echo: true,
      logprobs: 3,
    });
    const [c] = choicesOf(json);
    const lp = c!.logprobs!;
    const promptTokens = (json.usage as { prompt_tokens: number }).prompt_tokens;
    expect(lp.tokens[0]).toBe("<s>");
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    expect(lp.tokens).toHaveLength(promptTokens + 2);
    expect(c!.text.startsWith(TEXT)).toBe(true);
    const ref = await scorer.scoreText(TEXT);
    expect(ref.tokens).toHaveLength(promptTokens - 1);
    ref.tokens.forEach((t, i) => {
      expect(lp.token_logprobs[i + 1]).toBeCloseTo(t.logprob!, 9);
      expect(lp.text_offset[i + 1]).toBe(t.offset);
      expect(Object.keys(lp.top_logprobs[i + 1]!).length).toBeLessThanOrEqual(4);
    });
    // generated tokens continue the offsets past the prompt
    expect(lp.text_offset[promptTokens]).toBe(TEXT.length);
  });

  it("max_tokens 0 with echo returns only the scored prompt", async () => {
    const { json } = await postJson(`${url}/v1/completions`, {
      prompt: TEXT,
      max_tokens: 0,
      echo: true,
      logprobs: 0,
    });
    const [c] = choicesOf(json);
    expect(c!.text).toBe(TEXT);
    expect(c!.logprobs!.tokens).toHaveLength((json.usage as { prompt_tokens: number }).prompt_tokens);
    expect(c!.finish_reason).toBe("length");
    expect((json.usage as { completion_tokens: number }).completion_tokens).toBe(0);
  });

  it("vLLM prompt_logprobs with return_token_ids: null first, actual token keyed by id with rank", async () => {
    const { json } = await postJson(`${url}/v1/completions`, {
      prompt: TEXT,
      max_tokens: 1,
      temperature: 0,
      prompt_logprobs: 2,
      return_token_ids: true,
    });
    const [c] = choicesOf(json);
    const ids = c!.prompt_token_ids!;
    const entries = c!.prompt_logprobs!;
    expect(entries).toHaveLength(ids.length);
    expect(entries[0]).toBeNull();
    const ref = await scorer.scoreText(TEXT);
    entries.slice(1).forEach((e, i) => {
      const actual = e![String(ids[i + 1])]!;
      expect(actual.logprob).toBeCloseTo(ref.tokens[i]!.logprob!, 9);
      expect(actual.rank).toBeGreaterThanOrEqual(1);
      expect(Object.keys(e!).length).toBeLessThanOrEqual(3);
      const best = Object.values(e!).find((v) => v.rank === 1)!;
      expect(best.logprob).toBeGreaterThanOrEqual(actual.logprob);
    });
  });

  it("n, seed and stop: seeded samples repeat across requests; stop ends the text", async () => {
    const body = { prompt: "Ticket LP-", max_tokens: 10, temperature: 1.2, seed: 5, n: 2 };
    const a = choicesOf((await postJson(`${url}/v1/completions`, body)).json);
    const b = choicesOf((await postJson(`${url}/v1/completions`, body)).json);
    expect(a).toHaveLength(2);
    expect(b.map((c) => c.text)).toEqual(a.map((c) => c.text));
    const s = choicesOf(
      (
        await postJson(`${url}/v1/completions`, {
          prompt: canary.prefix,
          max_tokens: 24,
          temperature: 0,
          stop: ["."],
        })
      ).json,
    )[0]!;
    expect(s.text.trim()).toBe(canary.secret);
    expect(s.finish_reason).toBe("stop");
  });

  it("serves 8 different prompts concurrently without mixing them up", async () => {
    const prompts = demoCanaries.slice(0, 8).map((c) => c.prefix);
    const ask = async (prompt: string) =>
      choicesOf(
        (await postJson(`${url}/v1/completions`, { prompt, max_tokens: 12, temperature: 0 })).json,
      )[0]!.text;
    const sequential: string[] = [];
    for (const p of prompts) sequential.push(await ask(p));
    const concurrent = await Promise.all(prompts.map(ask));
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential).size).toBeGreaterThan(1);
  });
});
