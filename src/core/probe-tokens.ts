/** The tokenization pass before a probe's attempts: texts the probe asks for, split by the target's tokenizer. */
import pLimit from "p-limit";
import type { ProbeContext } from "../probes/types.js";
import type { ProbeRun } from "./runner.js";
import type { Target, Tokenized } from "./types.js";

/** Tokenize calls in flight per target. */
const IN_FLIGHT = 4;

/**
 * Tokenize the texts `run.probe.tokenize` asks for with the target's own tokenizer. Undefined when the probe
 * asks for none or the target has no tokenizer; a text whose call fails is left out (the probe then falls
 * back to characters for it and records so). After an abort nothing more is sent; the scan is stopping, and
 * a resume tokenizes again.
 */
export async function probeTokens(
  run: ProbeRun,
  ctx: ProbeContext,
  target: Target,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, Tokenized> | undefined> {
  const { probe } = run;
  if (probe.tokenize === undefined || target.tokenize === undefined) return undefined;
  const tokenize = target.tokenize.bind(target);
  const texts = [...new Set(probe.tokenize(run.params, ctx))];
  const out = new Map<string, Tokenized>();
  const limit = pLimit(IN_FLIGHT);
  await Promise.all(
    texts.map((text) =>
      limit(async () => {
        if (signal?.aborted) return;
        try {
          out.set(text, await tokenize(text, signal ? { signal } : {}));
        } catch {
          // left out: the probe falls back to characters for this text
        }
      }),
    ),
  );
  return out;
}
