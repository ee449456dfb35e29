import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { DEMO } from "../helpers/lab.js";
import { postJson } from "./serve-helpers.js";

const KEY = "test-key-123";
const auth = { authorization: `Bearer ${KEY}` };

function expectOpenAiError(json: Record<string, unknown>, code: string | null, param: string | null = null) {
  expect(json).toEqual({
    error: { message: expect.stringMatching(/\S/), type: expect.any(String), param, code },
  });
}

describe("memscan serve: auth, limits, malformed requests, missing features", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      modelPath: DEMO.overfit,
      apiKey: KEY,
      maxBodyBytes: 4096,
      sequences: 1,
      features: { promptLogprobs: false, chat: false, tgi: false },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("401 with an OpenAI error body without the bearer key, or with a wrong one", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer nope" },
      { authorization: KEY },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${server.url}/v1/models`, { headers });
      expect(res.status).toBe(401);
      expectOpenAiError((await res.json()) as Record<string, unknown>, "invalid_api_key");
    }
    const ok = await fetch(`${server.url}/v1/models`, { headers: auth });
    expect(ok.status).toBe(200);
  });

  it("413 for a body over the limit", async () => {
    const { status, json } = await postJson(
      `${server.url}/v1/completions`,
      { prompt: "x".repeat(10_000) },
      auth,
    );
    expect(status).toBe(413);
    expectOpenAiError(json, "request_too_large");
  });

  it("400 for malformed JSON, a non-object body, and wrong field types", async () => {
    const cases: Array<[unknown, string | null, string]> = [
      ["{not json", null, "invalid_json"],
      ["[1,2]", null, "invalid_json"],
      [{ prompt: 42 }, "prompt", "invalid_type"],
      [{ prompt: "Hi", max_tokens: "5" }, "max_tokens", "invalid_type"],
      [{ prompt: "Hi", temperature: -1 }, "temperature", "invalid_type"],
      [{ prompt: "Hi", logprobs: 99 }, "logprobs", "invalid_type"],
      [{ prompt: "Hi", stop: [1] }, "stop", "invalid_type"],
    ];
    for (const [body, param, code] of cases) {
      const { status, json } = await postJson(`${server.url}/v1/completions`, body, auth);
      expect(status).toBe(400);
      expectOpenAiError(json, code, param);
    }
  });

  it("400 for a prompt longer than the context", async () => {
    const { status, json } = await postJson(
      `${server.url}/v1/completions`,
      { prompt: "1 2 3 4 5 6 7 8 9 0 ".repeat(30), max_tokens: 1 },
      auth,
    );
    expect(status).toBe(400);
    expectOpenAiError(json, "context_length_exceeded", "prompt");
  });

  it("404 for an unknown route, a disabled route, and a model it does not serve", async () => {
    for (const path of ["/v1/nope", "/v1/chat/completions", "/generate"]) {
      const { status, json } = await postJson(`${server.url}${path}`, {}, auth);
      expect(status).toBe(404);
      expectOpenAiError(json, "unknown_url");
    }
    const { status, json } = await postJson(
      `${server.url}/v1/completions`,
      { model: "gpt-4", prompt: "Hi" },
      auth,
    );
    expect(status).toBe(404);
    expectOpenAiError(json, "model_not_found", "model");
  });

  it("without prompt logprobs: echo+logprobs and prompt_logprobs are 400s, plain echo still works", async () => {
    const echo = await postJson(
      `${server.url}/v1/completions`,
      { prompt: "Hi", echo: true, logprobs: 1, max_tokens: 1 },
      auth,
    );
    expect(echo.status).toBe(400);
    expect((echo.json.error as { message: string }).message).toBe(
      "Setting 'echo' and 'logprobs' at the same time is not supported for this model.",
    );
    const vllm = await postJson(`${server.url}/v1/completions`, { prompt: "Hi", prompt_logprobs: 1 }, auth);
    expect(vllm.status).toBe(400);
    expectOpenAiError(vllm.json, "unsupported_parameter", "prompt_logprobs");
    const gen = await postJson(
      `${server.url}/v1/completions`,
      { prompt: "Hi", echo: true, max_tokens: 1, temperature: 0, logprobs: null },
      auth,
    );
    expect(gen.status).toBe(200);
    expect((gen.json.choices as Array<{ text: string }>)[0]!.text.startsWith("Hi")).toBe(true);
  });
});

describe("memscan serve: startup errors", () => {
  it("a taken port is a ConfigError; a missing model is a ConfigError", async () => {
    const first = await startServer({ modelPath: DEMO.overfit, sequences: 1 });
    try {
      await expect(startServer({ modelPath: DEMO.overfit, port: first.port, sequences: 1 })).rejects.toThrow(
        /EADDRINUSE.*--port/,
      );
    } finally {
      await first.close();
    }
    await expect(startServer({ modelPath: "/missing.gguf" })).rejects.toThrow(/missing\.gguf/);
  });
});
