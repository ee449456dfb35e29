import type { CanaryFormat } from "../core/data.js";
import type { Rng } from "../core/rng.js";

/**
 * A secret format with a known randomness space: the thing a canary's secret and its unplanted
 * reference secrets are drawn from. Exposure needs references drawn from exactly the same space.
 */
export interface SecretFormat {
  /** The manifest description, with `spaceSize` filled in. */
  readonly spec: CanaryFormat & { readonly spaceSize: number };
  /** Number of distinct secrets this format can produce. */
  readonly spaceSize: number;
  /** One uniform draw from the space. */
  draw(rng: Rng): string;
  /** `n` distinct draws, none of them in `exclude` (e.g. the planted secrets): reference secrets. */
  sampleDistinct(rng: Rng, n: number, exclude?: Iterable<string>): string[];
}

/**
 * `n` distinct draws from `draw`, skipping `exclude`, by rejection (fine while n is well below the
 * space size; the attempt cap stops a hopeless request instead of spinning).
 *
 * @throws RangeError when the space cannot hold n more distinct values.
 */
export function sampleDistinctBy(
  draw: (rng: Rng) => string,
  spaceSize: number,
  rng: Rng,
  n: number,
  exclude: Iterable<string> = [],
): string[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`Expected n to be a non-negative integer, got ${n}`);
  const taken = new Set(exclude);
  if (n > spaceSize - taken.size) {
    throw new RangeError(
      `Expected at most ${spaceSize - taken.size} distinct secrets (space ${spaceSize}, ${taken.size} excluded), asked for ${n}; use a larger format`,
    );
  }
  const out: string[] = [];
  const maxAttempts = 50 * n + 10_000;
  for (let attempts = 0; out.length < n; attempts++) {
    if (attempts >= maxAttempts) {
      throw new RangeError(
        `Expected to find ${n} distinct secrets, found ${out.length} after ${attempts} draws; use a larger format`,
      );
    }
    const s = draw(rng);
    if (taken.has(s)) continue;
    taken.add(s);
    out.push(s);
  }
  return out;
}

/** Build a {@link SecretFormat} from its spec and a draw function. */
export function makeFormat(spec: CanaryFormat, spaceSize: number, draw: (rng: Rng) => string): SecretFormat {
  return {
    spec: { ...spec, spaceSize },
    spaceSize,
    draw,
    sampleDistinct: (rng, n, exclude) => sampleDistinctBy(draw, spaceSize, rng, n, exclude),
  };
}
