/**
 * The HTTP targets against the REAL loopback model server (`startServer` from src/serve/server.ts)
 * over canaries/demo/overfit.gguf, compared with in-process scoring through the gguf target.
 */
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetError } from "../../../src/core/errors.js";
import { type ScoredText, supports, type Target } from "../../../src/core/types.js";
import { type RunningServer, startServer } from "../../../src/serve/server.js";
import { ggufTarget } from "../../../src/targets/gguf.js";
import { hfTarget } from "../../../src/targets/hf.js";
import { scoreCall } from "../../../src/targets/http/openai-calls.js";
import { openaiTarget } from "../../../src/targets/openai.js";
import { DEMO } from "../../helpers/lab.js";

interface LabCanary {
  canary_id: string;
  prefix: string;
  secret: string;
  text: string;
  insert_count: number;
}
const CANARY = readFileSync(DEMO.canaries, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as LabCanary)
  .find((c) => c.canary_id === "support-canary-08")!;

function expectSameScores(http: ScoredText, local: ScoredText, tol = 1e-4) {
  expect(http.tokens.map((t) => t.token)).toEqual(local.tokens.map((t) => t.token));
  expect(http.tokens.map((t) => t.offset)).toEqual(local.tokens.map((t) => t.offset));
  http.tokens.forEach((t, i) => {
    expect(t.logprob).not.toBeNull();
    expect(Math.abs((t.logprob ?? 0) - (local.tokens[i]!.logprob ?? 0))).toBeLessThan(tol);
  });
}

describe("HTTP targets against memscan serve (overfit.gguf)", () => {
  let server: RunningServer;
  let bare: RunningServer;
  let local: Target;
  let oa: Target;
  let localScore: ScoredText;
  const KEY = "serve-key-0123456789";

  beforeAll(async () => {
    server = await startServer({ modelPath: DEMO.overfit, apiKey: KEY });
    bare = await startServer({ modelPath: DEMO.overfit, features: { promptLogprobs: false } });
    local = await ggufTarget.connect({ model: DEMO.overfit, moments: false });
    localScore = await local.scoreText!(CANARY.text);
    oa = await openaiTarget.connect({ model: "overfit", baseUrl: `${server.url}/v1`, apiKey: KEY });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([server?.close(), bare?.close(), local?.close?.()]);
  });

  it("openai target reports chat, completion, tokenLogprobs and promptLogprobs", () => {
    expect(oa.info.capabilities).toMatchObject({
      chat: true,
      completion: true,
      tokenLogprobs: true,
      promptLogprobs: true,
    });
    expect(oa.info.maxTopLogprobs).toBeGreaterThanOrEqual(5);
    expect(oa.info.notes.promptLogprobs).toMatch(/echo\+logprobs/);
  });

  it("scoreText through HTTP equals in-process scores to 1e-4", async () => {
    if (!supports(oa, "promptLogprobs")) throw new Error("no promptLogprobs");
    const http = await oa.scoreText(CANARY.text);
    expect(http.path).toBe("completions-echo");
    expect(http.tokens.length).toBeGreaterThan(10);
    expectSameScores(http, localScore);
  });

  it("the vLLM prompt_logprobs path scores the same as echo", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const conn = {
      client,
      model: "overfit",
      url: server.url,
      timeoutMs: 60_000,
      secrets: [KEY],
      maxTopLogprobs: 20,
    };
    const http = await scoreCall(conn, "vllm-prompt-logprobs", CANARY.text);
    expect(http.path).toBe("vllm-prompt-logprobs");
    expectSameScores(http, localScore);
  });

  it("scoreText with context returns only the text's span", async () => {
    const text = CANARY.text.slice(CANARY.prefix.length);
    const http = await oa.scoreText!(text, { context: CANARY.prefix });
    const tail = localScore.tokens.filter((t) => (t.offset ?? 0) >= CANARY.prefix.length);
    expect(http.tokens.map((t) => t.token)).toEqual(tail.map((t) => t.token));
    expect(http.tokens[0]?.offset).toBe(0);
    http.tokens.forEach((t, i) => {
      expect(Math.abs((t.logprob ?? 0) - (tail[i]!.logprob ?? 0))).toBeLessThan(1e-4);
    });
  });

  it("greedy complete of a canary prefix returns the secret", async () => {
    const gen = await oa.complete!(CANARY.prefix, { maxTokens: 20, temperature: 0 });
    expect(gen.text).toContain(CANARY.secret);
  });

  it("complete returns normalised generated-token logprobs", async () => {
    const gen = await oa.complete!(CANARY.prefix, { maxTokens: 2, temperature: 0, topLogprobs: 3 });
    expect(gen.tokens?.map((t) => t.offset)).toEqual([0, gen.tokens?.[0]?.token.length]);
    for (const t of gen.tokens ?? []) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top?.length).toBeGreaterThanOrEqual(3);
      expect(t.top?.[0]?.logprob).toBeGreaterThanOrEqual(t.top?.at(-1)?.logprob ?? 0);
    }
  });

  it("a server without prompt logprobs is reported as lacking them", async () => {
    const t = await openaiTarget.connect({ model: "overfit", baseUrl: `${bare.url}/v1` });
    expect(t.info.capabilities).toMatchObject({ completion: true, promptLogprobs: false });
    expect(t.info.notes.promptLogprobs).toMatch(/echo\+logprobs rejected: bad_request ?HTTP 400/);
    expect(t.scoreText).toBeUndefined();
  });

  it("a wrong key is an auth error at connect", async () => {
    await expect(
      openaiTarget.connect({ model: "overfit", baseUrl: `${server.url}/v1`, apiKey: "wrong-key-000" }),
    ).rejects.toSatisfy((e: unknown) => e instanceof TargetError && e.kind === "auth");
  });

  it("hf target through the TGI route reports promptLogprobs and scores the same", async () => {
    const hf = await hfTarget.connect({ endpointUrl: server.url, token: KEY });
    expect(hf.info.capabilities).toMatchObject({
      completion: true,
      promptLogprobs: true,
      tokenLogprobs: true,
    });
    const http = await hf.scoreText!(CANARY.text);
    expect(http.path).toBe("tgi-prefill");
    expectSameScores(http, localScore);
  });
});
