/**
 * Capability probing for Hugging Face endpoints by cheap calls: a TGI `/generate` with
 * `decoder_input_details` (prompt logprobs, generated-token logprobs, `top_n_tokens`), a tiny chat
 * completion through `@huggingface/inference`, and a seed reproducibility check.
 */
import { TargetError } from "../../core/errors.js";
import {
  type CapabilityNotes,
  type CapabilitySet,
  emptyCapabilities,
  type GenParams,
} from "../../core/types.js";
import { type HfConn, hfChat, hfTextGeneration } from "./hf-calls.js";
import { FATAL_AT_CONNECT, probeTopK, tryProbe } from "./probe.js";
import { type TgiConn, tgiComplete, tgiGenerate } from "./tgi.js";

/** What probing found. */
export interface HfProbe {
  readonly capabilities: CapabilitySet;
  readonly notes: CapabilityNotes;
  /** Largest usable `top_n_tokens` on TGI (0 = none). */
  readonly tgiTop: number;
  /** Largest usable chat `top_logprobs` (0 = none). */
  readonly chatTop: number;
  /** Completion and scoring go through TGI `/generate` (else the client's textGeneration). */
  readonly tgi: boolean;
}

const ONE: GenParams = { maxTokens: 1, temperature: 0 };
const HI = [{ role: "user", content: "Hi" }] as const;
const PROBE_TEXT = "The quick brown fox jumps over the lazy dog";
const FIRST_FATAL = [...FATAL_AT_CONNECT, "timeout"] as const;

async function probeTgi(tgi: TgiConn) {
  const params = { max_new_tokens: 1, do_sample: false, details: true, decoder_input_details: true };
  const r = await tryProbe("TGI /generate", () => tgiGenerate(tgi, PROBE_TEXT, params), FIRST_FATAL);
  if (!r.ok) return { ok: false, prompt: false, note: r.note };
  const prefill = r.value.details?.prefill ?? [];
  const prompt = prefill.length >= 2 && (prefill[0]?.logprob ?? null) === null;
  const note = prompt
    ? `TGI /generate decoder_input_details: ${prefill.length} prefill tokens, first null`
    : `TGI /generate answered but without prefill logprobs (${prefill.length} prefill tokens)`;
  return { ok: true, prompt, note };
}

async function probeSeed(run: () => Promise<{ readonly text: string }>) {
  const r = await tryProbe("seed", async () => [await run(), await run()] as const);
  if (!r.ok) return { ok: false, note: r.note };
  const same = r.value[0].text === r.value[1].text;
  return {
    ok: same,
    note: `seed accepted; two samples at T=1 ${same ? "identical" : "differ (seed not honoured)"}`,
  };
}

/**
 * Probe an HF endpoint. `tgi` is given when an `endpointUrl` is known (TGI routes are tried first).
 * Throws the first auth/quota/connection error, and `bad_request` when nothing answers.
 */
export async function probeHf(hf: HfConn, tgi?: TgiConn): Promise<HfProbe> {
  const caps = emptyCapabilities();
  const notes: CapabilityNotes = {};
  const gen = tgi
    ? await probeTgi(tgi)
    : { ok: false, prompt: false, note: "no endpointUrl: TGI /generate not tried" };
  const chat = await tryProbe("chat", () => hfChat(hf, HI, ONE), gen.ok ? FATAL_AT_CONNECT : FIRST_FATAL);
  caps.chat = chat.ok;
  notes.chat = chat.ok ? "chat: 1-token request answered" : chat.note;
  caps.promptLogprobs = gen.prompt;
  notes.promptLogprobs = gen.note;
  let textGen = { ok: false, note: "" };
  if (!gen.ok) {
    const r = await tryProbe("text generation", () => hfTextGeneration(hf, "Hello", ONE));
    textGen = r.ok
      ? { ok: true, note: "text generation (client): answered, text only" }
      : { ok: false, note: r.note };
  }
  caps.completion = gen.ok || textGen.ok;
  notes.completion = gen.ok ? "TGI /generate: 1-token request answered" : `${gen.note}; ${textGen.note}`;
  if (!caps.completion && !caps.chat) {
    throw new TargetError(
      "bad_request",
      `Expected a Hugging Face endpoint at ${hf.url} answering TGI /generate or chat completion, got ${notes.completion}; ${notes.chat}. Check endpointUrl / model / provider.`,
    );
  }
  const none = { ok: false, k: 0, note: "" };
  const [tgiLp, chatLp] = await Promise.all([
    gen.ok && tgi
      ? probeTopK("TGI", (k) =>
          tgiComplete({ ...tgi, maxTopLogprobs: k }, "Hello", { ...ONE, topLogprobs: k }),
        )
      : none,
    chat.ok ? probeTopK("chat", (k) => hfChat(hf, HI, { ...ONE, logprobs: true, topLogprobs: k })) : none,
  ]);
  caps.tokenLogprobs = tgiLp.ok || chatLp.ok;
  notes.tokenLogprobs =
    [tgiLp.note, chatLp.note].filter(Boolean).join("; ") || "no generation endpoint returned logprobs";
  const sampled: GenParams = { maxTokens: 4, temperature: 1, seed: 1234 };
  const seed = await probeSeed(() =>
    gen.ok && tgi
      ? tgiComplete(tgi, PROBE_TEXT, sampled)
      : chat.ok
        ? hfChat(hf, HI, sampled)
        : hfTextGeneration(hf, PROBE_TEXT, sampled),
  );
  caps.seed = seed.ok;
  notes.seed = seed.note;
  notes.multiSample = "not probed: TGI ignores n and the HF client has no n>1 path; draw samples one by one";
  notes.logitBias = "not probed: needs token ids; treated as absent";
  notes.fullDistribution = "HTTP endpoints return top-k alternatives only";
  return { capabilities: caps, notes, tgiTop: tgiLp.k, chatTop: chatLp.k, tgi: gen.ok };
}
