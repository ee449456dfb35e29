/**
 * Deterministic OpenAI- and TGI-shaped success bodies for the fault server. These are wire-format
 * fixtures (so clients can be exercised end to end on loopback), not a model: every token gets the
 * log-probability -0.5, the echoed first token gets `null`, and text is split on whitespace.
 */

/** Split text into whitespace-led pieces: "a bc  d" -> ["a", " bc", "  d"]. */
export function wireTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

type Json = Record<string, unknown>;

const asObj = (v: unknown): Json => (v !== null && typeof v === "object" ? (v as Json) : {});
const num = (v: unknown, d: number): number => (typeof v === "number" ? v : d);

function generated(text: string, maxTokens: number): string[] {
  return wireTokens(text).slice(0, Math.max(0, maxTokens));
}

function completion(req: Json, text: string): Json {
  const prompt = typeof req.prompt === "string" ? req.prompt : "";
  const n = num(req.n, 1);
  const gen = generated(text, num(req.max_tokens, 16));
  const promptToks = wireTokens(prompt);
  const toks = req.echo === true ? [...promptToks, ...gen] : gen;
  const k = typeof req.logprobs === "number" ? req.logprobs : undefined;
  let offset = req.echo === true ? 0 : prompt.length;
  const textOffset = toks.map((t) => {
    const o = offset;
    offset += t.length;
    return o;
  });
  const lp = toks.map((_, i) => (i === 0 && req.echo === true ? null : -0.5));
  const logprobs =
    k === undefined
      ? null
      : {
          tokens: toks,
          token_logprobs: lp,
          text_offset: textOffset,
          top_logprobs: toks.map((t, i) => (lp[i] === null ? null : { [t]: -0.5 })),
        };
  const choices = Array.from({ length: n }, (_, index) => ({
    index,
    text: toks.join(""),
    finish_reason: "length",
    logprobs,
  }));
  return {
    id: "cmpl-fault",
    object: "text_completion",
    created: 0,
    model: String(req.model ?? "fault"),
    choices,
    usage: { prompt_tokens: promptToks.length, completion_tokens: gen.length, total_tokens: toks.length },
  };
}

function chat(req: Json, text: string): Json {
  const n = num(req.n, 1);
  const gen = generated(text, num(req.max_tokens ?? req.max_completion_tokens, 16));
  const k = num(req.top_logprobs, 0);
  const logprobs =
    req.logprobs === true
      ? {
          content: gen.map((token) => ({
            token,
            logprob: -0.5,
            bytes: [...Buffer.from(token, "utf8")],
            top_logprobs: Array.from({ length: k }, (_, j) => ({
              token: j === 0 ? token : `${token}#${j}`,
              logprob: -0.5 - j,
              bytes: null,
            })),
          })),
          refusal: null,
        }
      : null;
  return {
    id: "chatcmpl-fault",
    object: "chat.completion",
    created: 0,
    model: String(req.model ?? "fault"),
    choices: Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: "assistant", content: gen.join(""), refusal: null },
      finish_reason: "length",
      logprobs,
    })),
    usage: { prompt_tokens: 1, completion_tokens: gen.length, total_tokens: 1 + gen.length },
  };
}

function tgi(req: Json, text: string): Json {
  const params = asObj(req.parameters);
  const inputs = typeof req.inputs === "string" ? req.inputs : "";
  const gen = generated(text, num(params.max_new_tokens, 16));
  const tok = (t: string, i: number, lp: number | null) => ({ id: i, text: t, logprob: lp, special: false });
  return {
    generated_text: gen.join(""),
    details: {
      finish_reason: "length",
      generated_tokens: gen.length,
      prefill:
        params.decoder_input_details === true
          ? wireTokens(inputs).map((t, i) => tok(t, i, i ? -0.5 : null))
          : [],
      tokens: gen.map((t, i) => tok(t, 100 + i, -0.5)),
    },
  };
}

/**
 * The success body for a route, or undefined for an unknown route (the server answers 404).
 * Routes: `/v1/completions`, `/v1/chat/completions`, `/v1/models`, `/generate`.
 */
export function successBody(path: string, body: unknown, text: string): Json | undefined {
  const req = asObj(body);
  if (path.endsWith("/chat/completions")) return chat(req, text);
  if (path.endsWith("/completions")) return completion(req, text);
  if (path.endsWith("/models"))
    return { object: "list", data: [{ id: "fault", object: "model", owned_by: "test" }] };
  if (path === "/generate") return tgi(req, text);
  return undefined;
}
