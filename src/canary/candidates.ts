import type { Canary } from "../core/data.js";
import { ConfigError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { formatFromSpec } from "./format-spec.js";
import { canaryText } from "./plant-records.js";

/** What a canary's exposure is measured on: the prefix, and the secret and references after it. */
export interface CanaryCandidates {
  readonly canary: Canary;
  /** The conditioning text every candidate is scored after: the canary's prefix. */
  readonly context: string;
  /** What joins prefix and secret in the planted sentence (usually one space). */
  readonly glue: string;
  /** Size of the randomness space the secret and references come from. */
  readonly spaceSize: number;
  /** Reference secrets: distinct, from the same space, never any manifest secret. */
  readonly references: readonly string[];
}

/**
 * The text between the prefix and the secret in the planted sentence (`" "` for `prefix secret.`), so a
 * candidate is scored as `prefix + glue + candidate`, exactly as the secret was planted.
 */
export function secretGlue(c: Canary): string {
  const text = canaryText(c);
  if (!text.startsWith(c.prefix)) return " ";
  const at = text.indexOf(c.secret, c.prefix.length);
  return at < 0 ? " " : text.slice(c.prefix.length, at);
}

/**
 * Draw each canary's references (seeded by run seed and canary id, so adding a canary changes no other
 * canary's draws; the same for every role, so target and control are compared on the same secrets).
 *
 * @throws ConfigError naming the canaries without a usable `format` (references cannot be drawn), or
 *   when the space is too small for `n` references.
 */
export async function drawCandidates(
  canaries: readonly Canary[],
  n: number,
  seed: number,
): Promise<CanaryCandidates[]> {
  const missing = canaries.filter((c) => c.format === undefined).map((c) => c.id);
  if (missing.length > 0) {
    throw new ConfigError(
      `Expected every canary to have a \`format\` (its randomness space) for rank exposure, got none for ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}; add \`format\` to the manifest (canaries/README.md) or use method generation`,
    );
  }
  const exclude = new Set(canaries.map((c) => c.secret));
  const out: CanaryCandidates[] = [];
  for (const c of canaries) {
    const format = await formatFromSpec(c.format!);
    let references: string[];
    try {
      references = format.sampleDistinct(new Rng(seed, `canary/references/${c.id}`), n, exclude);
    } catch (err) {
      throw new ConfigError(`Canary ${c.id}: ${(err as Error).message} (asked for ${n} references)`, {
        cause: err,
      });
    }
    out.push({ canary: c, context: c.prefix, glue: secretGlue(c), spaceSize: format.spaceSize, references });
  }
  return out;
}
