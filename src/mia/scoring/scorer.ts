import type { CallTally } from "../../core/call-tally.js";
import type { MiaPathChoice } from "../../core/config-mia.js";
import { ConfigError } from "../../core/errors.js";
import { estimateTokens, type Scheduler } from "../../core/scheduler.js";
import { type ScoredText, supports, type Target, type Tokenized } from "../../core/types.js";
import { TEACHER_FORCED_PATH, teacherForcedRequests, teacherForcedScore } from "./teacher-forced.js";

/** How texts are scored: prompt logprobs, the teacher-forced top-k fallback, or sampling (SaMIA). */
export type MiaPathKind = "prompt" | "teacher-forced" | "samia";

/** How one role scores texts for membership inference. */
export interface TextScorer {
  readonly kind: Exclude<MiaPathKind, "samia">;
  /** Requests scoring one text of `chars` characters costs (estimate, for the cost shown before a run). */
  requestsFor(chars: number): number;
  /** Teacher-forced scores of `text` (first position without context excluded); undefined when a call failed. */
  score(text: string, opts: { readonly moments: boolean }, tally: CallTally): Promise<ScoredText | undefined>;
}

/**
 * The scoring path for a target, from its probed capabilities: prompt logprobs when it scores given text,
 * else the teacher-forced fallback when it returns top-k logprobs of raw completions, else sampling.
 *
 * @throws ConfigError when the requested path is not available, saying what the target lacks.
 */
export function choosePath(target: Target, choice: MiaPathChoice): MiaPathKind {
  const { info } = target;
  const prompt = supports(target, "promptLogprobs");
  const forced = supports(target, "completion") && info.capabilities.tokenLogprobs && info.maxTopLogprobs > 0;
  const sampling = supports(target, "completion") || supports(target, "chat");
  const lacks = (what: string, note?: string) =>
    new ConfigError(
      `Expected ${info.id} to offer ${what} for --path ${choice}, got none (${note ?? "not offered"}); use --path auto`,
    );
  if (choice === "prompt" && !prompt) throw lacks("prompt logprobs", info.notes.promptLogprobs);
  if (choice === "teacher-forced" && !forced)
    throw lacks("raw completions with top-k logprobs", info.notes.tokenLogprobs);
  if (choice === "samia" && !sampling) throw lacks("completions or chat");
  if (choice !== "auto") return choice;
  if (prompt) return "prompt";
  if (forced) return "teacher-forced";
  if (sampling) return "samia";
  throw new ConfigError(
    `Expected ${info.id} to give prompt logprobs, top-k logprobs or at least completions for membership inference, got none of them`,
  );
}

/** The scorer of one role for a logprob path; every call goes through the role's scheduler. */
export function scorerFor(
  target: Target,
  scheduler: Scheduler,
  kind: Exclude<MiaPathKind, "samia">,
  topLogprobs: number,
  charsPerToken = 4,
): TextScorer {
  if (kind === "prompt") {
    if (!supports(target, "promptLogprobs")) throw new Error(`${target.info.id} has no prompt logprobs`);
    return {
      kind,
      requestsFor: () => 1,
      score: async (text, { moments }, tally) =>
        tally.take(
          await scheduler.run(
            (signal) =>
              target.scoreText(text, {
                moments,
                ...(moments && !target.info.capabilities.fullDistribution ? { topLogprobs } : {}),
                signal,
              }),
            {
              estimatedTokens: estimateTokens(text, 0),
              usage: (s: ScoredText) => s.usage.promptTokens + s.usage.completionTokens,
            },
          ),
        ),
    };
  }
  if (!supports(target, "completion")) throw new Error(`${target.info.id} has no completions`);
  const tokenize = target.tokenize?.bind(target);
  return {
    kind,
    requestsFor: (chars) => teacherForcedRequests(chars, tokenize !== undefined, charsPerToken),
    score: async (text, _opts, tally) => {
      let tokens: Tokenized | undefined;
      if (tokenize) {
        tokens = tally.take(await scheduler.run((signal) => tokenize(text, { signal })));
        if (tokens === undefined) return undefined;
      }
      return teacherForcedScore(target, text, tokens?.tokens, { scheduler, topLogprobs, tally });
    },
  };
}

/**
 * Characters per token of the target's tokenizer over a few of `texts` (4 when it has none or a call
 * fails): what the cost shown before a teacher-forced run is estimated with.
 */
export async function charsPerToken(target: Target, texts: readonly string[], signal?: AbortSignal) {
  if (!target.tokenize) return 4;
  let chars = 0;
  let tokens = 0;
  try {
    for (const t of texts.slice(0, 5)) {
      const r = await target.tokenize(t, signal ? { signal } : {});
      chars += t.length;
      tokens += r.tokens.length;
    }
  } catch {
    return 4;
  }
  return tokens > 0 ? chars / tokens : 4;
}

export { TEACHER_FORCED_PATH };
