/**
 * The tokenizer seam: the gguf target in process, `memscan serve`'s `/tokenize` in both server shapes, and
 * the openai target reading it back (and finding assistant prefill) against the real loopback server.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Target, Tokenized } from "../../src/core/types.js";
import { startServer } from "../../src/serve/server.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { type OpenAiConn, PREFILL_FIELDS } from "../../src/targets/http/openai-calls.js";
import { tokenizeCall } from "../../src/targets/http/tokenize.js";
import { openaiTarget } from "../../src/targets/openai.js";
import { DEMO } from "../helpers/lab.js";
import { demoCanaries, postJson } from "../serve/serve-helpers.js";

const TEXTS = [
  "Ticket LP-650042 | Priority: Low\nCustomer: Sandra Ruiz <ruiz.sandra24@post.example.org>",
  "  two leading spaces, a tab\tand ünïcödé ☃ 𝟒",
  "",
];

/** Tokens cover the text left to right without gaps or overlaps. */
function expectCovers(t: Tokenized, text: string) {
  let at = 0;
  for (const tok of t.tokens) {
    expect(tok.start).toBe(at);
    expect(tok.end).toBeGreaterThanOrEqual(tok.start);
    at = tok.end;
  }
  expect(at).toBe(text.length);
}

let local: Target;
let server: Awaited<ReturnType<typeof startServer>>;
let bare: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  local = await ggufTarget.connect({ model: DEMO.overfit, sequences: 1 });
  server = await startServer({ modelPath: DEMO.overfit, sequences: 1 });
  bare = await startServer({
    modelPath: DEMO.overfit,
    sequences: 1,
    features: { tokenize: false, chat: false },
  });
}, 120_000);

afterAll(async () => {
  await local?.close?.();
  await server?.close();
  await bare?.close();
});

describe("gguf target tokenize", () => {
  it("splits with the model's tokenizer, no BOS, spans covering the text", async () => {
    expect(local.info.tokenizer).toBe("gguf");
    for (const text of TEXTS) {
      const t = await local.tokenize!(text);
      expect(t.path).toBe("gguf");
      expectCovers(t, text);
    }
    const t = await local.tokenize!(TEXTS[0]!);
    expect(t.tokens.slice(0, 4).map((x) => TEXTS[0]!.slice(x.start, x.end))).toEqual([
      "T",
      "ick",
      "et",
      " L",
    ]);
    expect(t.tokens.map((x) => x.id)).not.toContain(1); // <s>
  });
});

describe("memscan serve /tokenize", () => {
  it("answers the llama.cpp shape: ids, or {id, piece} with pieces (bytes when not UTF-8)", async () => {
    const ids = await postJson(`${server.url}/tokenize`, { content: "Hello world" });
    expect(ids.status).toBe(200);
    const want = (await local.tokenize!("Hello world")).tokens.map((t) => t.id);
    expect(ids.json.tokens).toEqual(want);
    const special = await postJson(`${server.url}/tokenize`, { content: "Hello world", add_special: true });
    expect(special.json.tokens).toEqual([1, ...want]);
    const pieces = await postJson(`${server.url}/tokenize`, { content: "é", with_pieces: true });
    const list = pieces.json.tokens as { id: number; piece: string | number[] }[];
    expect(list.some((p) => Array.isArray(p.piece))).toBe(true); // "é" is two byte-fallback tokens here
    const bytes = list.flatMap((p) => (typeof p.piece === "string" ? [...Buffer.from(p.piece)] : p.piece));
    expect(Buffer.from(bytes).toString("utf8").trim()).toBe("é");
  });

  it("answers the vLLM shape: count, max_model_len, tokens (BOS by default), token_strs on request", async () => {
    const r = await postJson(`${server.url}/tokenize`, { prompt: "Hello world", return_token_strs: true });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      count: 5,
      max_model_len: 512,
      token_strs: ["<s>", "▁H", "ell", "o", "▁world"],
    });
    const plain = await postJson(`${server.url}/tokenize`, {
      prompt: "Hello world",
      add_special_tokens: false,
    });
    expect(plain.json).toMatchObject({ count: 4, token_strs: null });
  });

  it("rejects a body with neither field (400), another model (404), and is absent when switched off (404)", async () => {
    expect((await postJson(`${server.url}/tokenize`, { text: "x" })).status).toBe(400);
    expect((await postJson(`${server.url}/tokenize`, { prompt: "x", model: "nope" })).status).toBe(404);
    expect((await postJson(`${bare.url}/tokenize`, { content: "x" })).status).toBe(404);
  });
});

describe("openai target tokenize and prefill against memscan serve", () => {
  it("finds the llama.cpp tokenizer and assistant prefill, and tokenizes exactly as the gguf target", async () => {
    const t = await openaiTarget.connect({ model: "overfit", baseUrl: `${server.url}/v1` });
    expect(t.info.tokenizer).toBe("llama.cpp /tokenize");
    expect(t.info.chatPrefill).toBe("continue_final_message");
    for (const text of TEXTS) {
      const http = await t.tokenize!(text);
      expectCovers(http, text);
      expect(http.tokens).toEqual((await local.tokenize!(text)).tokens);
    }
  });

  it("reads vLLM's token_strs back into the same spans", async () => {
    const conn: OpenAiConn = {
      client: new OpenAI({ apiKey: "x", baseURL: `${server.url}/v1`, maxRetries: 0 }),
      model: "overfit",
      url: `${server.url}/v1`,
      timeoutMs: 30_000,
      secrets: [],
      maxTopLogprobs: 0,
    };
    for (const text of TEXTS) {
      const v = await tokenizeCall(conn, "vllm /tokenize", text);
      expect(v.path).toBe("vllm /tokenize");
      const l = (await local.tokenize!(text)).tokens;
      expect(v.tokens.map((x) => [x.id, x.start, x.end])).toEqual(l.map((x) => [x.id, x.start, x.end]));
    }
  });

  it("has no tokenize and no prefill on a server without them", async () => {
    const t = await openaiTarget.connect({ model: "overfit", baseUrl: `${bare.url}/v1` });
    expect(t.tokenize).toBeUndefined();
    expect(t.info.tokenizer).toBeUndefined();
    expect(t.info.chatPrefill).toBeUndefined();
  });

  it("continues a final assistant message when asked with continue_final_message", async () => {
    const canary = demoCanaries.find((c) => c.insert_count === 16)!;
    const r = await postJson(`${server.url}/v1/chat/completions`, {
      messages: [
        { role: "user", content: "Continue." },
        { role: "assistant", content: canary.prefix },
      ],
      ...PREFILL_FIELDS,
      max_tokens: 18,
      temperature: 0,
    });
    expect(r.status).toBe(200);
    const text = (r.json.choices as { message: { content: string } }[])[0]!.message.content;
    expect(text).toContain(canary.secret);
  });
});
