import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringTarget } from "../../src/core/types.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { DEMO } from "../helpers/lab.js";
import { demoCanaries, postJson } from "./serve-helpers.js";

const canary = demoCanaries.find((c) => c.insert_count === 16)!;
const TEXT = "Ticket LP-650042 | Priority: Low | Channel: web form";

interface TgiTok {
  id: number;
  text: string;
  logprob: number | null;
  special: boolean;
}

describe("memscan serve: chat and TGI routes", () => {
  let server: RunningServer;
  let scorer: ScoringTarget;
  beforeAll(async () => {
    server = await startServer({ modelPath: DEMO.overfit, modelName: "lab-overfit" });
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

  it("chat renders messages as plain text and returns OpenAI logprobs.content", async () => {
    const { status, json, headers } = await postJson(`${server.url}/v1/chat/completions`, {
      model: "lab-overfit",
      messages: [{ role: "user", content: canary.prefix }],
      max_completion_tokens: 24,
      temperature: 0,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(status).toBe(200);
    expect(headers.get("x-memscan-chat-rendering")).toBe("plain");
    const choice = (json.choices as Array<Record<string, unknown>>)[0]!;
    const message = choice.message as { role: string; content: string };
    expect(message.role).toBe("assistant");
    expect(message.content.trim().startsWith(canary.secret)).toBe(true);
    const content = (choice.logprobs as { content: Array<Record<string, unknown>> }).content;
    expect(content.length).toBeGreaterThan(0);
    for (const e of content) {
      expect(typeof e.token).toBe("string");
      expect(e.logprob as number).toBeLessThanOrEqual(0);
      expect(Buffer.from(e.bytes as number[]).toString("utf8")).toBe(e.token);
      const top = e.top_logprobs as Array<{ token: string; logprob: number; bytes: number[] }>;
      expect(top).toHaveLength(3);
      expect(top[0]!.logprob).toBeGreaterThanOrEqual(e.logprob as number);
    }
    expect(content.map((e) => e.token).join("")).toBe(message.content);
  });

  it("chat without logprobs answers logprobs: null; top_logprobs without logprobs is a 400", async () => {
    const ok = await postJson(`${server.url}/v1/chat/completions`, {
      messages: [
        { role: "system", content: "x" },
        { role: "user", content: "Ticket" },
      ],
      max_tokens: 2,
      temperature: 0,
    });
    expect((ok.json.choices as Array<{ logprobs: unknown }>)[0]!.logprobs).toBeNull();
    const bad = await postJson(`${server.url}/v1/chat/completions`, {
      messages: [{ role: "user", content: "Hi" }],
      top_logprobs: 2,
    });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { param: string }).param).toBe("top_logprobs");
  });

  it("TGI /generate prefill equals the engine's scoreText; tokens and top_tokens in TGI's shape", async () => {
    const { status, json } = await postJson(`${server.url}/generate`, {
      inputs: TEXT,
      parameters: { max_new_tokens: 3, details: true, decoder_input_details: true, top_n_tokens: 2 },
    });
    expect(status).toBe(200);
    const details = json.details as {
      finish_reason: string;
      generated_tokens: number;
      seed: number | null;
      prefill: TgiTok[];
      tokens: TgiTok[];
      top_tokens: TgiTok[][];
    };
    expect(details.prefill[0]).toEqual({ id: 1, text: "<s>", logprob: null, special: true });
    const ref = await scorer.scoreText(TEXT);
    expect(details.prefill).toHaveLength(ref.tokens.length + 1);
    ref.tokens.forEach((t, i) => {
      expect(details.prefill[i + 1]!.logprob).toBeCloseTo(t.logprob!, 9);
      expect(details.prefill[i + 1]!.text).toBe(t.token);
    });
    expect(details.finish_reason).toBe("length");
    expect(details.generated_tokens).toBe(3);
    expect(details.seed).toBeNull();
    expect(details.tokens.map((t) => t.text).join("")).toBe(json.generated_text);
    expect(details.top_tokens).toHaveLength(3);
    for (const [i, top] of details.top_tokens.entries()) {
      expect(top).toHaveLength(2);
      expect(top[0]!.id).toBe(details.tokens[i]!.id);
    }
  });

  it("TGI stop sequences, sampling seed, and the decoder_input_details + stream rejection", async () => {
    const stopped = await postJson(`${server.url}/generate`, {
      inputs: canary.prefix,
      parameters: { max_new_tokens: 24, stop: ["."], details: true },
    });
    expect((stopped.json.generated_text as string).trim()).toBe(canary.secret);
    expect((stopped.json.details as { finish_reason: string }).finish_reason).toBe("stop_sequence");
    const sampled = await postJson(`${server.url}/generate`, {
      inputs: "Ticket",
      parameters: { max_new_tokens: 4, do_sample: true, seed: 3, details: true },
    });
    expect((sampled.json.details as { seed: number }).seed).toBe(3);
    const rejected = await postJson(`${server.url}/generate`, {
      inputs: "Hi",
      stream: true,
      parameters: { decoder_input_details: true },
    });
    expect(rejected.status).toBe(422);
    expect(rejected.json).toEqual({
      error: "`decoder_input_details` == true is not supported when streaming tokens",
      error_type: "validation",
    });
    const badTemp = await postJson(`${server.url}/generate`, {
      inputs: "Hi",
      parameters: { temperature: 0 },
    });
    expect(badTemp.status).toBe(422);
  });

  it("GET /info names the model", async () => {
    const info = (await (await fetch(`${server.url}/info`)).json()) as Record<string, unknown>;
    expect(info.model_id).toBe("lab-overfit");
    expect(info.max_total_tokens).toBe(512);
  });
});
