import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { formatIssues } from "../core/packs.js";
import type { GenParams } from "../core/types.js";

/**
 * User overrides of generation parameters, applied over every attempt's own params
 * (a probe computes e.g. `maxTokens` per attempt; `gen.maxTokens` replaces it everywhere).
 */
export const GenOverrides = z
  .object({
    maxTokens: z.number().int().positive(),
    temperature: z.number().min(0).max(5),
    topP: z.number().gt(0).max(1),
    topK: z.number().int().positive(),
    seed: z.number().int().min(0),
    topLogprobs: z.number().int().min(0).max(100),
    logprobs: z.boolean(),
    stop: z.array(z.string().min(1)).max(16),
  })
  .partial()
  .strict();
export type GenOverrides = z.output<typeof GenOverrides>;

/** How a probe talks to the target: `auto` picks the probe's preferred mode when the target has it. */
export const ModeChoice = z.enum(["auto", "chat", "completion"]);
export type ModeChoice = z.output<typeof ModeChoice>;

/** Merge the user's overrides over an attempt's base params (overrides win; `undefined` never erases). */
export function mergeGen(base: GenParams, overrides: GenOverrides): GenParams {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v;
  return out as unknown as GenParams;
}

/**
 * Validate a probe's params with its schema; `undefined`/`null` means "all defaults".
 * Throws a ConfigError naming the probe and every problem.
 *
 * @example
 * parseWith("divergence.repeat-word", Schema, { maxTokens: 128 });
 */
export function parseWith<S extends z.ZodType>(probeId: string, schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input ?? {}, { reportInput: true });
  if (res.success) return res.data;
  throw new ConfigError(
    `Expected valid params for probe \`${probeId}\`, found: ${formatIssues(res.error.issues)}; ` +
      "fix the probe's params in your config (`memscan list` shows each probe's defaults).",
  );
}

/** A 31-bit seed for one sampled attempt, drawn from a seeded stream. */
export function drawSeed(rng: { nextU32(): number }): number {
  return rng.nextU32() >>> 1;
}
