/**
 * Capability probing for OpenAI-compatible endpoints, by cheap calls (never by provider or model
 * name). Each capability gets a boolean and a short note saying why.
 */
import { TargetError } from "../../core/errors.js";
import {
  type CapabilityNotes,
  type CapabilitySet,
  emptyCapabilities,
  type GenParams,
} from "../../core/types.js";
import {
  chatCall,
  completeCall,
  type OpenAiConn,
  PREFILL_FIELDS,
  post,
  type ScorePath,
} from "./openai-calls.js";
import { probeTopK, tryProbe } from "./probe.js";
import { chatResponseSchema, completionResponseSchema, parseShape } from "./schemas.js";
import { probeTokenize, type TokenizePath } from "./tokenize.js";

/** What probing found. */
export interface OpenAiProbe {
  readonly capabilities: CapabilitySet;
  readonly notes: CapabilityNotes;
  readonly maxTopLogprobs: number;
  /** How `scoreText` scores, when `promptLogprobs`. */
  readonly scorePath?: ScorePath;
  /** How `tokenize` works, when the server exposes a tokenizer. */
  readonly tokenizePath?: TokenizePath;
  /** The chat endpoint accepts `continue_final_message` (assistant prefill). */
  readonly prefill: boolean;
}

const ONE: GenParams = { maxTokens: 1, temperature: 0 };
const HI = [{ role: "user", content: "Hi" }] as const;
const PROBE_TEXT = "The quick brown fox jumps over the lazy dog";

async function probeEcho(conn: OpenAiConn): Promise<{ ok: boolean; note: string }> {
  const body = {
    model: conn.model,
    prompt: PROBE_TEXT,
    echo: true,
    logprobs: 1,
    max_tokens: 1,
    temperature: 0,
  };
  const r = await tryProbe("completions echo+logprobs", async () => {
    const { data, ctx } = await post(conn, "/completions", body);
    return parseShape(completionResponseSchema, data, ctx);
  });
  if (!r.ok) return r;
  const lp = r.value.choices[0]?.logprobs;
  const n = r.value.usage?.prompt_tokens ?? 2;
  if (!lp) return { ok: false, note: "completions echo+logprobs: no logprobs in response" };
  if (lp.token_logprobs[0] !== null || lp.token_logprobs.length < n) {
    const first = lp.token_logprobs[0];
    return {
      ok: false,
      note: `completions echo+logprobs: not prompt logprobs (first=${first}, ${lp.token_logprobs.length} < ${n} prompt tokens or first not null)`,
    };
  }
  return {
    ok: true,
    note: `completions echo+logprobs: ${lp.token_logprobs.length} token logprobs, first null`,
  };
}

async function probeVllm(conn: OpenAiConn): Promise<{ ok: boolean; note: string }> {
  const body = { model: conn.model, prompt: PROBE_TEXT, prompt_logprobs: 0, max_tokens: 1, temperature: 0 };
  const r = await tryProbe("completions prompt_logprobs", async () => {
    const { data, ctx } = await post(conn, "/completions", body);
    return parseShape(completionResponseSchema, data, ctx);
  });
  if (!r.ok) return r;
  const entries = r.value.choices[0]?.prompt_logprobs ?? r.value.prompt_logprobs;
  if (!entries || entries.length < 2 || entries[0] !== null) {
    return { ok: false, note: "completions prompt_logprobs: accepted but not returned (field ignored)" };
  }
  return { ok: true, note: `completions prompt_logprobs: ${entries.length} entries, first null` };
}

async function probeSeed(conn: OpenAiConn, useChat: boolean) {
  const p: GenParams = { maxTokens: 4, temperature: 1, seed: 1234 };
  const run = () => (useChat ? chatCall(conn, HI, p) : completeCall(conn, PROBE_TEXT, p));
  const r = await tryProbe("seed", async () => [await run(), await run()] as const);
  if (!r.ok) return { ok: false, note: r.note };
  const same = r.value[0].text === r.value[1].text;
  return {
    ok: same,
    note: `seed accepted; two samples at T=1 ${same ? "identical" : "differ (seed not honoured)"}`,
  };
}

async function probeN(conn: OpenAiConn, useChat: boolean) {
  const r = await tryProbe("n=2", async () => {
    const path = useChat ? "/chat/completions" : "/completions";
    const base = useChat ? { messages: HI } : { prompt: PROBE_TEXT };
    const { data, ctx } = await post(conn, path, {
      model: conn.model,
      ...base,
      n: 2,
      max_tokens: 1,
      temperature: 1,
    });
    return useChat
      ? parseShape(chatResponseSchema, data, ctx).choices.length
      : parseShape(completionResponseSchema, data, ctx).choices.length;
  });
  if (!r.ok) return { ok: false, note: r.note };
  return { ok: r.value === 2, note: `n=2 returned ${r.value} choice(s)` };
}

/**
 * Does chat continue a final assistant message when asked with `continue_final_message`? A server that
 * rejects the field (OpenAI answers 400 to unknown fields) does not; one that accepts it is taken at its word.
 */
async function probePrefill(conn: OpenAiConn): Promise<{ ok: boolean; note: string }> {
  const messages = [
    { role: "user", content: "Say hello." },
    { role: "assistant", content: "Hello" },
  ];
  const r = await tryProbe("chat continue_final_message", async () => {
    const body = { model: conn.model, messages, ...PREFILL_FIELDS, max_tokens: 1, temperature: 0 };
    const { data, ctx } = await post(conn, "/chat/completions", body);
    return parseShape(chatResponseSchema, data, ctx);
  });
  if (!r.ok) return { ok: false, note: r.note };
  return { ok: true, note: "chat continue_final_message accepted: a final assistant message is continued" };
}

/**
 * Probe `conn`. Throws the first auth/quota/connection error (the endpoint is unusable) and a
 * `bad_request` TargetError when neither completions nor chat answers.
 */
export async function probeOpenAi(conn: OpenAiConn): Promise<OpenAiProbe> {
  const caps = emptyCapabilities();
  const notes: CapabilityNotes = {};
  const completion = await tryProbe("completions", () => completeCall(conn, "Hello", ONE), [
    "auth",
    "quota",
    "connection",
    "aborted",
    "timeout",
  ]);
  const chat = await tryProbe("chat", () => chatCall(conn, HI, ONE));
  caps.completion = completion.ok;
  caps.chat = chat.ok;
  notes.completion = completion.ok ? "completions: 1-token request answered" : completion.note;
  notes.chat = chat.ok ? "chat: 1-token request answered" : chat.note;
  if (!caps.completion && !caps.chat) {
    throw new TargetError(
      "bad_request",
      `Expected an OpenAI-compatible API at ${conn.url} answering /completions or /chat/completions for model \`${conn.model}\`, got ${notes.completion}; ${notes.chat}. Check that the base URL ends in /v1 and the model name is right.`,
    );
  }
  const useChat = !caps.completion;
  const none = { ok: false, k: 0, note: "" };
  const [chatLp, compLp, echo, seed, multi, tok, prefill] = await Promise.all([
    caps.chat
      ? probeTopK("chat", (k) => chatCall(conn, HI, { ...ONE, logprobs: true, topLogprobs: k }))
      : none,
    caps.completion
      ? probeTopK("completions", (k) => completeCall(conn, "Hello", { ...ONE, topLogprobs: k }))
      : none,
    caps.completion ? probeEcho(conn) : { ok: false, note: "no completions endpoint" },
    probeSeed(conn, useChat),
    probeN(conn, useChat),
    probeTokenize(conn),
    caps.chat ? probePrefill(conn) : { ok: false, note: "no chat endpoint" },
  ]);
  caps.tokenLogprobs = chatLp.ok || compLp.ok;
  notes.tokenLogprobs = [chatLp.note, compLp.note].filter(Boolean).join("; ");
  let scorePath: ScorePath | undefined = echo.ok ? "completions-echo" : undefined;
  notes.promptLogprobs = echo.note;
  if (!echo.ok && caps.completion) {
    const v = await probeVllm(conn);
    if (v.ok) scorePath = "vllm-prompt-logprobs";
    notes.promptLogprobs = `${echo.note}; ${v.note}`;
  }
  caps.promptLogprobs = scorePath !== undefined;
  caps.seed = seed.ok;
  notes.seed = seed.note;
  caps.multiSample = multi.ok;
  notes.multiSample = multi.note;
  notes.logitBias = "not probed: needs token ids (tokenizer access); treated as absent";
  notes.fullDistribution = "HTTP endpoints return top-k alternatives only";
  return {
    capabilities: caps,
    notes,
    maxTopLogprobs: Math.max(chatLp.k, compLp.k),
    ...(scorePath ? { scorePath } : {}),
    ...(tok.path ? { tokenizePath: tok.path } : {}),
    prefill: prefill.ok,
  };
}
