import { z } from "zod";

/** Target specs: how a config file or flags name an endpoint (validated here, once). */

const positiveInt = z.number().int().positive();

export const openaiSpecSchema = z.strictObject({
  family: z.literal("openai"),
  model: z.string().min(1),
  baseUrl: z.url().optional(),
  /** Prefer `apiKeyEnv`; a literal key here is accepted but never written anywhere. */
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z.string().min(1).optional(),
  timeoutMs: positiveInt.optional(),
});

export const hfSpecSchema = z.strictObject({
  family: z.literal("hf"),
  model: z.string().min(1).optional(),
  endpointUrl: z.url().optional(),
  provider: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  tokenEnv: z.string().min(1).optional(),
  timeoutMs: positiveInt.optional(),
});

export const ggufSpecSchema = z.strictObject({
  family: z.literal("gguf"),
  model: z.string().min(1),
  contextSize: positiveInt.optional(),
});

export const targetSpecSchema = z.discriminatedUnion("family", [
  openaiSpecSchema,
  hfSpecSchema,
  ggufSpecSchema,
]);
export type TargetSpec = z.infer<typeof targetSpecSchema>;

/** A target spec with secrets removed, safe to write in a report. */
export function publicSpec(spec: TargetSpec): Record<string, unknown> {
  const { ...copy } = spec as Record<string, unknown>;
  delete copy.apiKey;
  delete copy.token;
  return copy;
}
