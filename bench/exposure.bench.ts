import { candidateText, drawCandidates } from "../src/canary/candidates.js";
import { readCanaries } from "../src/canary/manifest.js";
import { Scheduler } from "../src/core/scheduler.js";
import type { ScoringTarget, Target } from "../src/core/types.js";
import { startServer } from "../src/serve/server.js";
import { ggufTarget } from "../src/targets/gguf.js";
import { openaiTarget } from "../src/targets/openai.js";
import { DEMO } from "../test/helpers/lab.js";
import type { Bench, BenchRow } from "./bench.js";

const N = 300;
const ROUNDS = 2;
const CONCURRENCY = 4;

/**
 * Reference candidates scored per second for canary exposure, in the same run: the in-process gguf
 * target without prefix reuse (baseline: every candidate evaluates BOS + prefix + candidate), with it
 * (`reuseContext`: the prefix stays in the KV cache of each sequence, only the candidate is evaluated),
 * and through `memscan serve` (OpenAI completions echo; the server must return every prompt token's
 * logprob, so nothing can be skipped there). Demo overfit model, one canary prefix, N references,
 * concurrency 4 through the Scheduler, best of 2 interleaved rounds.
 */
export const exposureBench: Bench = {
  name: "exposure",
  async run() {
    const canaries = await readCanaries(DEMO.canaries);
    const [c] = await drawCandidates(canaries.slice(0, 1), N, 1);
    const texts = c!.references.map((r) => candidateText(c!, r));
    const local = await ggufTarget.connect({ model: DEMO.overfit });
    const server = await startServer({ modelPath: DEMO.overfit });
    const http = await openaiTarget.connect({ model: "overfit", baseUrl: `${server.url}/v1` });
    try {
      const rate = async (t: Target, reuseContext: boolean): Promise<number> => {
        const s = new Scheduler({ concurrency: CONCURRENCY });
        const scorer = t as ScoringTarget;
        await s.run((signal) => scorer.scoreText(texts[0]!, { context: c!.context, reuseContext, signal }));
        const start = performance.now();
        const outs = await Promise.all(
          texts.map((text) =>
            s.run((signal) =>
              scorer.scoreText(text, { context: c!.context, reuseContext, moments: false, signal }),
            ),
          ),
        );
        if (outs.some((o) => !o.ok)) throw new Error("a scoring call failed");
        return (texts.length / (performance.now() - start)) * 1000;
      };
      const best = { plain: 0, reuse: 0, serve: 0 };
      for (let i = 0; i < ROUNDS; i++) {
        best.plain = Math.max(best.plain, await rate(local, false));
        best.reuse = Math.max(best.reuse, await rate(local, true));
        best.serve = Math.max(best.serve, await rate(http, true));
      }
      const rows: BenchRow[] = [
        {
          case: `in-process gguf, no prefix reuse (N=${N}, c=${CONCURRENCY})`,
          value: best.plain,
          unit: "cand/s",
        },
        {
          case: "in-process gguf, prefix reuse (KV cache)",
          value: best.reuse,
          unit: "cand/s",
          baseline: best.plain,
          ratio: best.reuse / best.plain,
          goal: "ratio ≥ 1.5",
          pass: best.reuse / best.plain >= 1.5,
        },
        {
          case: "memscan serve, OpenAI completions echo",
          value: best.serve,
          unit: "cand/s",
          baseline: best.plain,
          ratio: best.serve / best.plain,
        },
      ];
      return rows;
    } finally {
      await Promise.all([local.close?.(), server.close()]);
    }
  },
};
