import { z } from "zod";

const positiveInt = z.number().int().positive();

/** The `exposure:` section: canary exposure of the scan's `canaries` (see canaries/README.md). */
export const exposureConfigSchema = z.strictObject({
  /** Reference secrets scored per canary (rank method). Default 1000. */
  references: positiveInt.max(1_000_000).optional(),
  /** Seeded samples per canary (generation method). Default 32. */
  samples: positiveInt.max(100_000).optional(),
  /** `auto` (default): rank when the target gives prompt logprobs, else generation. */
  method: z.enum(["auto", "rank", "generation"]).optional(),
  /** Also measure the control target. Default false. */
  control: z.boolean().optional(),
});
export type ExposureConfig = z.infer<typeof exposureConfigSchema>;

/** A resolved `exposure:` section. */
export interface ExposurePlan {
  readonly references: number;
  readonly samples: number;
  readonly method: "auto" | "rank" | "generation";
  readonly control: boolean;
}

/** Defaults filled in. */
export function resolveExposurePlan(c: ExposureConfig): ExposurePlan {
  return {
    references: c.references ?? 1000,
    samples: c.samples ?? 32,
    method: c.method ?? "auto",
    control: c.control ?? false,
  };
}
