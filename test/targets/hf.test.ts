import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetError } from "../../src/core/errors.js";
import type { Target } from "../../src/core/types.js";
import { hfTarget } from "../../src/targets/hf.js";
import { type Fault, type FaultServer, startFaultServer } from "../helpers/fault-server.js";

const TOKEN = "hf_test_secret_token_0123456789";
const TRIGGER = "TRIGGER";

async function caught(p: Promise<unknown>): Promise<TargetError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TargetError);
    return err as TargetError;
  }
  throw new Error("expected the call to reject");
}

function triggered(body: unknown): boolean {
  const b = (body ?? {}) as { inputs?: string; messages?: { content?: string }[] };
  return b.inputs === TRIGGER || b.messages?.[0]?.content === TRIGGER;
}

describe("hf target against the fault server (TGI + chat routes)", () => {
  let fs: FaultServer;
  let fault: Fault = { kind: "ok" };
  let target: Target;

  beforeAll(async () => {
    fs = await startFaultServer({
      script: (_n, req) => (triggered(req.body) ? fault : { kind: "ok", text: "alpha beta gamma" }),
    });
    target = await hfTarget.connect({ endpointUrl: fs.url, token: TOKEN, timeoutMs: 500 });
  });
  afterAll(() => fs.close());

  it("probes TGI and chat and keeps the token out of info", () => {
    const { capabilities: c, notes } = target.info;
    expect(c).toMatchObject({
      chat: true,
      completion: true,
      tokenLogprobs: true,
      promptLogprobs: true,
      seed: true,
    });
    expect(c.multiSample).toBe(false);
    expect(notes.promptLogprobs).toMatch(/prefill tokens, first null/);
    expect(target.info.id).toBe("hf:tgi");
    expect(JSON.stringify(target.info)).not.toContain(TOKEN);
    expect(fs.count("/generate")).toBeGreaterThan(0);
    expect(fs.count("/v1/chat/completions")).toBeGreaterThan(0);
  });

  it("scores through details.prefill and generates through /generate", async () => {
    const scored = await target.scoreText!(" three more words", { context: "one two" });
    expect(scored.path).toBe("tgi-prefill");
    expect(scored.tokens).toEqual([
      { token: " three", logprob: -0.5, offset: 0 },
      { token: " more", logprob: -0.5, offset: 6 },
      { token: " words", logprob: -0.5, offset: 11 },
    ]);
    const gen = await target.complete!("x", { maxTokens: 2, temperature: 0, logprobs: true });
    expect(gen.text).toBe("alpha beta");
    expect(gen.tokens?.map((t) => [t.token, t.offset, t.logprob])).toEqual([
      ["alpha", 0, -0.5],
      [" beta", 5, -0.5],
    ]);
    const last = fs.requests.at(-1)?.body as { parameters?: Record<string, unknown> };
    expect(last.parameters).toMatchObject({ do_sample: false, details: true, max_new_tokens: 2 });
  });

  const cases: [string, Fault, Partial<TargetError>][] = [
    [
      "429 Retry-After",
      { kind: "rateLimit", retryAfter: "3" },
      { kind: "rate_limit", status: 429, retryAfterMs: 3000 },
    ],
    ["429 quota", { kind: "rateLimit", quota: true }, { kind: "quota", status: 429 }],
    ["500", { kind: "status", status: 500 }, { kind: "server", status: 500 }],
    ["503", { kind: "status", status: 503 }, { kind: "server", status: 503 }],
    ["401", { kind: "status", status: 401 }, { kind: "auth", status: 401 }],
    ["422", { kind: "status", status: 422 }, { kind: "bad_request", status: 422 }],
    ["hang", { kind: "hang" }, { kind: "timeout" }],
    ["malformed JSON", { kind: "malformed" }, { kind: "malformed" }],
    ["wrong shape", { kind: "json", body: { details: {} } }, { kind: "malformed" }],
    ["reset", { kind: "reset" }, { kind: "connection" }],
  ];

  it.each(cases)("TGI route maps %s, sent once", async (_name, f, expected) => {
    fault = f;
    const before = fs.count();
    const err = await caught(target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 }));
    expect(err).toMatchObject(expected);
    expect(err.message).toContain(`${fs.url}/generate`);
    expect(err.message).not.toContain(TOKEN);
    expect(fs.count() - before).toBe(1);
  });

  it.each(cases)("chat route (@huggingface/inference) maps %s, sent once", async (_name, f, expected) => {
    fault = f;
    const before = fs.count();
    const err = await caught(
      target.chat!([{ role: "user", content: TRIGGER }], { maxTokens: 1, temperature: 0 }),
    );
    expect(err).toMatchObject(expected);
    expect(err.message).not.toContain(TOKEN);
    expect(JSON.stringify(err.cause ?? {})).not.toContain(TOKEN);
    expect(fs.count() - before).toBe(1);
  });
});

describe("hf target connect-time failures", () => {
  it("reports an unreachable endpoint as `connection`, naming the URL", async () => {
    const fs = await startFaultServer();
    const url = fs.url;
    await fs.close();
    const err = await caught(hfTarget.connect({ endpointUrl: url, timeoutMs: 2000 }));
    expect(err.kind).toBe("connection");
    expect(err.message).toContain(url);
  });

  it("reports a wrong token as `auth`", async () => {
    const fs = await startFaultServer({ script: () => ({ kind: "status", status: 401 }) });
    try {
      const err = await caught(hfTarget.connect({ endpointUrl: fs.url, token: TOKEN }));
      expect(err.kind).toBe("auth");
      expect(err.message).not.toContain(TOKEN);
    } finally {
      await fs.close();
    }
  });

  it("without TGI routes falls back to chat and text generation with notes", async () => {
    const fs = await startFaultServer({
      script: (_n, req) => (req.path === "/generate" ? { kind: "status", status: 404 } : { kind: "ok" }),
    });
    try {
      const t = await hfTarget.connect({ endpointUrl: fs.url, model: "m" });
      expect(t.info.capabilities).toMatchObject({ chat: true, completion: true, promptLogprobs: false });
      expect(t.info.notes.promptLogprobs).toMatch(/TGI \/generate rejected: bad_request ?HTTP 404/);
      expect(t.scoreText).toBeUndefined();
      const gen = await t.complete!("Hello", { maxTokens: 1, temperature: 0 });
      expect(gen.text).toBe("ok");
      expect(fs.requests.at(-1)?.path).toBe("/v1/completions");
    } finally {
      await fs.close();
    }
  });
});
