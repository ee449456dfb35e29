import type { CallTally } from "../../core/call-tally.js";
import type { Scheduler } from "../../core/scheduler.js";
import type {
  CompletionTarget,
  Generation,
  ScoredText,
  TextToken,
  TokenLogprob,
  TopLogprob,
} from "../../core/types.js";

/**
 * Teacher-forced scores through generated-token top-k logprobs only (no prompt logprobs): one short
 * request per position. For the token at position i, prompt with the text before it, ask for one greedy
 * token with its top-k alternatives, and read the true token's logprob from that list; a true token absent
 * from the top-k is censored (`logprob: null`), never guessed, and carries the upper bound the list implies
 * (`bound`), which the attacks use in its place.
 *
 * Positions come from the target's tokenizer when it has one. Without one (e.g. a hosted API), the text
 * is walked greedily: at each character the longest listed alternative that the text continues with is
 * taken as the next token; when none is, the position is censored and the walk skips to the next word.
 */
export interface TeacherForcedOptions {
  readonly scheduler: Scheduler;
  readonly topLogprobs: number;
  readonly tally: CallTally;
}

export const TEACHER_FORCED_PATH = "teacher-forced-topk";

/**
 * Requests one text costs: one per token, plus one to tokenize it when the target has a tokenizer.
 * `charsPerToken` comes from tokenizing a few of the texts (4 when the target has no tokenizer).
 */
export function teacherForcedRequests(chars: number, tokenized: boolean, charsPerToken = 4): number {
  return Math.max(1, Math.ceil(chars / charsPerToken)) + (tokenized ? 1 : 0);
}

async function step(
  target: CompletionTarget,
  prompt: string,
  o: TeacherForcedOptions,
): Promise<{ readonly chosen?: TokenLogprob; readonly top: readonly TopLogprob[] } | undefined> {
  const out = await o.scheduler.run(
    (signal) =>
      target.complete(
        prompt,
        { maxTokens: 1, temperature: 0, logprobs: true, topLogprobs: o.topLogprobs },
        { signal },
      ),
    {
      estimatedTokens: Math.ceil(prompt.length / 4) + 1,
      usage: (g: Generation) => g.usage.promptTokens + g.usage.completionTokens,
      rateLimit: (g: Generation) => g.rateLimit,
    },
  );
  const g = o.tally.take(out);
  if (g === undefined) return undefined;
  const first = g.tokens?.[0];
  return { ...(first ? { chosen: first } : {}), top: first?.top ?? [] };
}

type Step = { readonly chosen?: TokenLogprob; readonly top: readonly TopLogprob[] };

/**
 * The score the step gives `piece`: its logprob when listed; when not, `logprob: null` with the upper bound
 * the list implies: the piece is less likely than every listed token and than all unlisted mass together.
 */
function lookup(s: Step, piece: string, first: boolean): Pick<TokenLogprob, "logprob" | "bound"> {
  const same = (t: string) => t === piece || (first && t.replace(/^ /, "") === piece);
  const hit = s.top.find((a) => same(a.token));
  if (hit) return { logprob: hit.logprob };
  if (s.chosen && same(s.chosen.token) && s.chosen.logprob !== null) return { logprob: s.chosen.logprob };
  return { logprob: null, ...censoredBound(s.top) };
}

/** min(smallest listed logprob, log(1 − listed mass)); nothing when the list is empty. */
export function censoredBound(top: readonly TopLogprob[]): { bound?: number } {
  if (top.length === 0) return {};
  let mass = 0;
  let least = 0;
  for (const a of top) {
    mass += Math.exp(a.logprob);
    least = Math.min(least, a.logprob);
  }
  const rest = Math.log(Math.max(1e-12, 1 - mass));
  return { bound: Math.min(least, rest) };
}

/**
 * Score `text` position by position. With `tokens` (the target's tokenizer), every token is scored,
 * including the first (prompted with the empty string, as completions echo scores it after BOS). The
 * requests run concurrently under the scheduler. Undefined when a request failed or the run must stop
 * (see the tally).
 */
export async function teacherForcedScore(
  target: CompletionTarget,
  text: string,
  tokens: readonly TextToken[] | undefined,
  o: TeacherForcedOptions,
): Promise<ScoredText | undefined> {
  const requestsBefore = o.tally.requests;
  const scored = tokens ? await byTokens(target, text, tokens, o) : await byWalk(target, text, o);
  if (scored === undefined) return undefined;
  const calls = o.tally.requests - requestsBefore;
  return {
    text,
    tokens: scored,
    path: TEACHER_FORCED_PATH,
    usage: { promptTokens: Math.ceil(text.length / 4) * calls, completionTokens: calls },
  };
}

async function byTokens(
  target: CompletionTarget,
  text: string,
  tokens: readonly TextToken[],
  o: TeacherForcedOptions,
): Promise<TokenLogprob[] | undefined> {
  const spans = tokens.filter((t) => t.end > t.start);
  const steps = await Promise.all(spans.map((t) => step(target, text.slice(0, t.start), o)));
  if (steps.some((s) => s === undefined)) return undefined;
  return spans.map((t, i) => {
    const piece = text.slice(t.start, t.end);
    const s = steps[i]!;
    return { token: piece, ...lookup(s, piece, t.start === 0), offset: t.start, top: s.top };
  });
}

async function byWalk(
  target: CompletionTarget,
  text: string,
  o: TeacherForcedOptions,
): Promise<TokenLogprob[] | undefined> {
  const out: TokenLogprob[] = [];
  let at = 0;
  while (at < text.length) {
    const s = await step(target, text.slice(0, at), o);
    if (s === undefined) return undefined;
    const options = [...s.top, ...(s.chosen ? [s.chosen] : [])]
      .map((a) => ({ token: at === 0 ? a.token.replace(/^ /, "") : a.token, logprob: a.logprob }))
      .filter((a) => a.token !== "" && text.startsWith(a.token, at))
      .sort((a, b) => b.token.length - a.token.length || (b.logprob ?? 0) - (a.logprob ?? 0));
    const best = options[0];
    if (best) {
      out.push({ token: best.token, logprob: best.logprob, offset: at, top: s.top });
      at += best.token.length;
      continue;
    }
    const next = nextWord(text, at);
    out.push({ token: text.slice(at, next), logprob: null, ...censoredBound(s.top), offset: at, top: s.top });
    at = next;
  }
  return out;
}

/** Start of the next word after `at` (the whitespace before it included in this piece). */
function nextWord(text: string, at: number): number {
  const m = /\s\S/.exec(text.slice(at + 1));
  return m ? at + 1 + m.index : text.length;
}
