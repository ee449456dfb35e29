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
  /** What follows the secret in the planted sentence (usually "."). */
  readonly tail: string;
  /** Size of the randomness space the secret and references come from. */
  readonly spaceSize: number;
  /** Reference secrets: distinct, from the same space, never any manifest secret. */
  readonly references: readonly string[];
}

/**
 * What surrounds the secret after the prefix in the planted sentence: `glue` before it (`" "` for
 * `prefix secret.`) and `tail` after it (`"."`), so a candidate is scored as the planted sentence with the
 * candidate in the secret's place. The Secret Sharer ranks whole canaries s[r]; the tail's likelihood
 * depends on the candidate too (the lab's training-framework `secret_nll` includes it).
 */
export function secretFrame(c: Canary): { readonly glue: string; readonly tail: string } {
  const text = canaryText(c);
  const at = text.startsWith(c.prefix) ? text.indexOf(c.secret, c.prefix.length) : -1;
  if (at < 0) return { glue: " ", tail: "" };
  return { glue: text.slice(c.prefix.length, at), tail: text.slice(at + c.secret.length) };
}

/** The text scored after the prefix for one candidate secret: glue + candidate + tail. */
export function candidateText(c: Pick<CanaryCandidates, "glue" | "tail">, candidate: string): string {
  return c.glue + candidate + c.tail;
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
    out.push({ canary: c, context: c.prefix, ...secretFrame(c), spaceSize: format.spaceSize, references });
  }
  return out;
}
