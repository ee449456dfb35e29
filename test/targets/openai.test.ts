import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetError } from "../../src/core/errors.js";
import { Scheduler } from "../../src/core/scheduler.js";
import { supports, type Target } from "../../src/core/types.js";
import { openaiTarget } from "../../src/targets/openai.js";
import { type Fault, type FaultServer, startFaultServer } from "../helpers/fault-server.js";

const KEY = "sk-test-secret-key-0123456789";
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

describe("openai target against the fault server", () => {
  let fs: FaultServer;
  let fault: Fault = { kind: "ok" };
  let target: Target;

  beforeAll(async () => {
    fs = await startFaultServer({
      script: (_n, req) => {
        const body = req.body as { prompt?: string } | undefined;
        return body?.prompt === TRIGGER ? fault : { kind: "ok", text: "alpha beta gamma" };
      },
    });
    target = await openaiTarget.connect({ model: "fault", baseUrl: fs.baseURL, apiKey: KEY, timeoutMs: 500 });
  });
  afterAll(() => fs.close());

  it("probes every capability the wire server offers and keeps the key out of info", () => {
    const { capabilities: c, notes } = target.info;
    expect(c).toMatchObject({ chat: true, completion: true, tokenLogprobs: true, promptLogprobs: true });
    expect(c).toMatchObject({ seed: true, multiSample: true, logitBias: false, fullDistribution: false });
    expect(target.info.maxTopLogprobs).toBe(20);
    expect(notes.promptLogprobs).toMatch(/echo\+logprobs: \d+ token logprobs, first null/);
    expect(JSON.stringify(target.info)).not.toContain(KEY);
    expect(target.info.endpoint).toBe(fs.baseURL);
    expect(fs.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it("normalises completion, chat and echo logprobs", async () => {
    if (!supports(target, "completion") || !supports(target, "chat") || !supports(target, "promptLogprobs")) {
      throw new Error("capabilities missing");
    }
    const gen = await target.complete("x y", { maxTokens: 2, temperature: 0, topLogprobs: 1 });
    expect(gen.text).toBe("alpha beta");
    expect(gen.tokens).toEqual([
      { token: "alpha", logprob: -0.5, offset: 0, top: [{ token: "alpha", logprob: -0.5 }] },
      { token: " beta", logprob: -0.5, offset: 5, top: [{ token: " beta", logprob: -0.5 }] },
    ]);
    const chat = await target.chat([{ role: "user", content: "hi" }], {
      maxTokens: 1,
      temperature: 0,
      logprobs: true,
    });
    expect(chat.tokens?.[0]).toMatchObject({ token: "alpha", logprob: -0.5, offset: 0 });
    const scored = await target.scoreText(" three more words", { context: "one two" });
    expect(scored.path).toBe("completions-echo");
    expect(scored.tokens.map((t) => [t.token, t.offset, t.logprob])).toEqual([
      [" three", 0, -0.5],
      [" more", 6, -0.5],
      [" words", 11, -0.5],
    ]);
    // Without context the first token has no logprob and is dropped.
    const whole = await target.scoreText("one two three");
    expect(whole.tokens.map((t) => t.token)).toEqual([" two", " three"]);
  });

  const cases: [string, Fault, Partial<TargetError>][] = [
    [
      "429 Retry-After seconds",
      { kind: "rateLimit", retryAfter: "2" },
      { kind: "rate_limit", status: 429, retryAfterMs: 2000 },
    ],
    [
      "429 retry-after-ms",
      { kind: "rateLimit", retryAfterMs: "1500", retryAfter: "9" },
      { kind: "rate_limit", retryAfterMs: 1500 },
    ],
    ["429 insufficient_quota", { kind: "rateLimit", quota: true }, { kind: "quota", status: 429 }],
    ["500", { kind: "status", status: 500 }, { kind: "server", status: 500 }],
    ["503", { kind: "status", status: 503 }, { kind: "server", status: 503 }],
    ["400", { kind: "status", status: 400 }, { kind: "bad_request", status: 400 }],
    ["404", { kind: "status", status: 404 }, { kind: "bad_request", status: 404 }],
    ["422", { kind: "status", status: 422 }, { kind: "bad_request", status: 422 }],
    ["401", { kind: "status", status: 401 }, { kind: "auth", status: 401 }],
    ["403", { kind: "status", status: 403 }, { kind: "auth", status: 403 }],
    ["hang past the timeout", { kind: "hang" }, { kind: "timeout" }],
    ["slow body past the timeout", { kind: "slow", chunkDelayMs: 150, chunks: 8 }, { kind: "timeout" }],
    ["malformed JSON", { kind: "malformed" }, { kind: "malformed" }],
    ["empty choices", { kind: "json", body: { choices: [] } }, { kind: "malformed" }],
    ["missing choices", { kind: "json", body: { result: "ok" } }, { kind: "malformed" }],
    ["wrong field type", { kind: "json", body: { choices: [{ text: 5 }] } }, { kind: "malformed" }],
    ["connection reset", { kind: "reset" }, { kind: "connection" }],
  ];

  it.each(cases)("maps %s to the right TargetError, sent once", async (_name, f, expected) => {
    fault = f;
    const before = fs.count();
    const err = await caught(target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 }));
    expect(err).toMatchObject(expected);
    expect(err.message).toContain(`${fs.baseURL}/completions`);
    expect(err.message).not.toContain(KEY);
    expect(fs.count() - before).toBe(1);
  });

  it("finishes a slow body inside the deadline", async () => {
    fault = { kind: "slow", chunkDelayMs: 30, chunks: 4, text: "slow but fine" };
    const gen = await target.complete!(TRIGGER, { maxTokens: 3, temperature: 0 });
    expect(gen.text).toBe("slow but fine");
  });

  it("maps a caller abort to `aborted`", async () => {
    fault = { kind: "hang" };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const err = await caught(
      target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 }, { signal: ctl.signal }),
    );
    expect(err.kind).toBe("aborted");
  });

  it("passes the server's x-ratelimit-* headers on, and the scheduler pauses until the reset", async () => {
    fault = {
      kind: "ok",
      text: "x",
      headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "600ms" },
    };
    const gen = await target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 });
    expect(gen.rateLimit).toEqual({ remainingRequests: 0, resetRequestsMs: 600 });
    fault = { kind: "ok", text: "x" };
    const plain = await target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 });
    expect(plain.rateLimit).toBeUndefined();

    fault = {
      kind: "ok",
      text: "x",
      headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "600ms" },
    };
    const s = new Scheduler({ concurrency: 1 });
    const call = () =>
      s.run((signal) => target.complete!(TRIGGER, { maxTokens: 1, temperature: 0 }, { signal }), {
        rateLimit: (g) => g.rateLimit,
      });
    await call();
    const t0 = performance.now();
    await call();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(550);
    fault = { kind: "ok" };
  });
});

describe("openai target connect-time failures", () => {
  it("reports an unreachable endpoint as `connection`, naming the URL", async () => {
    const fs = await startFaultServer();
    const url = fs.baseURL;
    await fs.close();
    const err = await caught(
      openaiTarget.connect({ model: "m", baseUrl: url, apiKey: KEY, timeoutMs: 2000 }),
    );
    expect(err.kind).toBe("connection");
    expect(err.message).toContain(url);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/check that the server is running/);
  });

  it("reports a wrong key as `auth` without echoing it", async () => {
    const fs = await startFaultServer({
      script: (_n, req) =>
        req.headers.authorization === "Bearer right-key"
          ? { kind: "ok" }
          : {
              kind: "status",
              status: 401,
              body: { error: { message: `Incorrect API key provided: ${KEY}` } },
            },
    });
    try {
      const err = await caught(openaiTarget.connect({ model: "m", baseUrl: fs.baseURL, apiKey: KEY }));
      expect(err.kind).toBe("auth");
      expect(err.status).toBe(401);
      expect(err.fatal).toBe(true);
      expect(err.message).toContain(fs.baseURL);
      expect(err.message).not.toContain(KEY);
      expect(fs.count()).toBe(1);
    } finally {
      await fs.close();
    }
  });

  it("marks rejected features absent with a note instead of failing", async () => {
    const fs = await startFaultServer({
      script: (_n, req) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (req.path === "/v1/chat/completions") return { kind: "status", status: 404 };
        if (b.echo === true || b.n !== undefined || b.seed !== undefined)
          return { kind: "status", status: 400 };
        if (typeof b.logprobs === "number" && b.logprobs > 5) return { kind: "status", status: 400 };
        return { kind: "ok" };
      },
    });
    try {
      const t = await openaiTarget.connect({ model: "m", baseUrl: fs.baseURL, apiKey: KEY });
      const { capabilities: c, notes } = t.info;
      expect(c).toMatchObject({ completion: true, chat: false, tokenLogprobs: true, promptLogprobs: false });
      expect(c).toMatchObject({ seed: false, multiSample: false });
      expect(t.info.maxTopLogprobs).toBe(1);
      expect(notes.chat).toMatch(/chat rejected: bad_request ?HTTP 404/);
      expect(notes.promptLogprobs).toMatch(/echo\+logprobs rejected: bad_request ?HTTP 400/);
      expect(notes.tokenLogprobs).toMatch(/top_logprobs=5 accepted/);
      expect(t.chat).toBeUndefined();
      expect(t.scoreText).toBeUndefined();
    } finally {
      await fs.close();
    }
  });

  it("fails clearly when neither completions nor chat answers (wrong base URL)", async () => {
    const fs = await startFaultServer({ script: () => ({ kind: "status", status: 404 }) });
    try {
      const err = await caught(openaiTarget.connect({ model: "m", baseUrl: fs.url, apiKey: KEY }));
      expect(err.kind).toBe("bad_request");
      expect(err.message).toMatch(/base URL ends in \/v1/);
    } finally {
      await fs.close();
    }
  });
});
