import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { TargetError } from "../core/errors.js";
import { type GenerateOptions, type GenerateResult, generateTokens } from "./generate.js";
import { leaseModel, type ModelLease } from "./llama.js";
import { tokenOffsets } from "./offsets.js";
import { Pool } from "./pool.js";
import { emptiest, fresh, longestMatch, scoreReusing } from "./prompt-cache.js";
import { type PositionScore, type ScoreOptions, scoreTokens } from "./score.js";
import { Vocab } from "./vocab.js";

/** Default CPU threads per model context; see `EngineOptions.threads`. */
export const DEFAULT_THREADS = 1;

/** How to open a local model. */
export interface EngineOptions {
  readonly modelPath: string;
  /** Tokens per sequence (default: the model's training context, at most 2048). */
  readonly contextSize?: number;
  /** Parallel sequences, i.e. requests served at once; others wait in FIFO order (default 4). */
  readonly sequences?: number;
  /**
   * CPU threads (default 1). Measured on the 2-core build machine under load from parallel test runs:
   * 24 greedy tokens took 124-181 ms with 1 thread and 13-28 s with 2 (ggml's thread barriers spin when
   * the cores are oversubscribed); node-llama-cpp's own default is slower still. Raise it on an idle machine.
   */
  readonly threads?: number;
}

/** One token of a scored text, with its place in the text and its teacher-forced raw log-prob. */
export interface ScoredToken {
  readonly id: Token;
  /** Readable text of the token (`<s>` for BOS; U+FFFD for a lone byte of a split character). */
  readonly text: string;
  readonly bytes: readonly number[];
  /** UTF-16 offset in the scored string (context + text); BOS sits at 0. */
  readonly offset: number;
  /** null for the first token (nothing before it). */
  readonly logprob: number | null;
  readonly top?: ReadonlyArray<{ readonly id: Token; readonly text: string; readonly logprob: number }>;
  readonly moments?: { readonly mean: number; readonly std: number };
  readonly rank?: number;
  /** Part of the conditioning context, not of the text. */
  readonly context: boolean;
}

/** Scoring request: the text, an optional unscored context before it, and what to compute. */
export interface EngineScoreOptions extends ScoreOptions {
  readonly context?: string;
  /**
   * Score only the text's tokens (context tokens come back with `logprob: null`) and reuse evaluated
   * state: the call runs on the idle sequence whose cached tokens share the longest prefix with this
   * request, evaluates only what differs, and leaves its tokens cached for the next call. Many texts
   * after one context (canary candidates) then pay for the context once per sequence. Default false.
   */
  readonly reuseContext?: boolean;
}

/**
 * A GGUF model with a pool of context sequences, shared by the `gguf` target and `memscan serve`.
 * Prompts are BOS + tokens when the model adds BOS (`add_bos_token`). All log-probs are natural logs of the
 * raw model (pre-sampling). Concurrent calls each get their own sequence.
 * @example const e = await LocalEngine.open({ modelPath: "canaries/demo/overfit.gguf" });
 */
export class LocalEngine {
  readonly vocab: Vocab;
  private constructor(
    private readonly lease: ModelLease,
    private readonly context: LlamaContext,
    private readonly pool: Pool<LlamaContextSequence>,
  ) {
    this.vocab = new Vocab(lease.model);
  }

  /** Load (or reuse) the model and create its context; missing/unreadable file → `ConfigError`. */
  static async open(opts: EngineOptions): Promise<LocalEngine> {
    const lease = await leaseModel(opts.modelPath);
    try {
      const train = lease.model.trainContextSize;
      const contextSize = opts.contextSize ?? Math.min(train > 0 ? train : 2048, 2048);
      const sequences = opts.sequences ?? 4;
      const context = await lease.model.createContext({
        contextSize,
        sequences,
        threads: opts.threads ?? DEFAULT_THREADS,
      });
      const seqs = Array.from({ length: sequences }, () => context.getSequence());
      return new LocalEngine(lease, context, new Pool(seqs, (s) => s.clearHistory()));
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  /** The loaded node-llama-cpp model (shared with other engines on the same file). */
  get model(): LlamaModel {
    return this.lease.model;
  }
  /** Absolute path of the GGUF file. */
  get path(): string {
    return this.lease.path;
  }
  /** Tokens per sequence. */
  get contextSize(): number {
    return this.context.contextSize;
  }

  /** Token ids of `text`, BOS first when the model adds it. */
  promptTokens(text: string): Token[] {
    const bos = this.model.tokens.bos;
    const body = this.model.tokenize(text);
    return this.model.tokens.shouldPrependBosToken && bos !== null ? [bos, ...body] : body;
  }

  /** Greedy or seeded generation from a text prompt; see `generateTokens` for how log-probs are read. */
  async generate(
    prompt: string,
    opts: GenerateOptions = {},
  ): Promise<GenerateResult & { promptTokens: number }> {
    const tokens = this.promptTokens(prompt);
    this.checkLength(tokens.length);
    if (tokens.length === 0) {
      throw new TargetError(
        "bad_request",
        "Expected a non-empty prompt (the model adds no BOS), got an empty one.",
      );
    }
    const res = await this.pool.use(
      async (seq) => generateTokens(this.model, await fresh(seq), tokens, opts),
      {
        choose: emptiest,
      },
    );
    return { ...res, promptTokens: tokens.length };
  }

  /**
   * Teacher-forced scores of every token of `context + text` (BOS included, with `logprob: null`).
   * Context and text are tokenized together, as an API would; tokens that end at or before `context.length`
   * are marked `context: true` (a token straddling the boundary, e.g. SentencePiece's ` word` after a context
   * ending in a space, belongs to the text). With `reuseContext`, see that option.
   */
  async score(text: string, opts: EngineScoreOptions = {}): Promise<ScoredToken[]> {
    const full = (opts.context ?? "") + text;
    const ids = this.promptTokens(full);
    this.checkLength(ids.length);
    const bytes = ids.map((t) => this.vocab.bytes(t));
    const offsets = tokenOffsets(bytes, full);
    const contextEnd = opts.context?.length ?? 0;
    const isContext = (i: number) => contextEnd > 0 && (offsets[i + 1] ?? full.length) <= contextEnd;
    const reuse = opts.reuseContext === true && contextEnd > 0;
    let from = 1;
    if (reuse) while (from < ids.length && isContext(from)) from++;
    let scores: PositionScore[] = [];
    if (from < ids.length) {
      scores = reuse
        ? await this.pool.use((seq) => scoreReusing(seq, ids, from, opts), {
            choose: longestMatch(ids),
            keep: true,
          })
        : await this.pool.use(async (seq) => scoreTokens(await fresh(seq), ids, 1, opts), {
            choose: emptiest,
          });
    }
    return ids.map((id, i) => {
      const s = i >= from ? scores[i - from] : undefined;
      const offset = offsets[i]!;
      const entry: ScoredToken = {
        id,
        text: this.vocab.text(id),
        bytes: [...bytes[i]!],
        offset,
        logprob: s?.logprob ?? null,
        context: isContext(i),
        ...(s?.top && {
          top: s.top.map((a) => ({ id: a.token, text: this.vocab.text(a.token), logprob: a.logprob })),
        }),
        ...(s?.moments && { moments: s.moments }),
        ...(s?.rank !== undefined && { rank: s.rank }),
      };
      return entry;
    });
  }

  /** Free the context and release the model (disposed when no other engine uses it). */
  async close(): Promise<void> {
    await this.context.dispose();
    await this.lease.release();
  }

  private checkLength(promptTokens: number): void {
    if (promptTokens > this.contextSize) {
      throw new TargetError(
        "bad_request",
        `Expected at most ${this.contextSize} prompt tokens (the context size), ` +
          `got ${promptTokens}; shorten the text or open the model with a larger contextSize.`,
      );
    }
  }
}
