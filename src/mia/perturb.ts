import { sha256 } from "../core/hash.js";
import type { Rng } from "../core/rng.js";

/** A word-level edit: swap with the next word, drop the word, or replace it with the filler. */
export type PerturbOp = "swap" | "drop" | "mask";

/** Options for `perturb`; every field has a default. */
export interface PerturbOptions {
  /** Perturbed copies per text. Default 10 (SPV-MIA's N). */
  readonly copies?: number;
  /** Fraction of words edited in each copy, at least one word. Default 0.15. */
  readonly fraction?: number;
  /** Edits to choose from, uniformly. Default all three. */
  readonly ops?: readonly PerturbOp[];
  /**
   * Stand-in for a masked word. Default `"the"`: the most frequent English word, so the change in loss
   * comes from losing the original word rather than from an odd symbol.
   */
  readonly filler?: string;
}

const DEFAULTS = { copies: 10, fraction: 0.15, ops: ["swap", "drop", "mask"], filler: "the" } as const;

/**
 * Deterministic perturbed copies of `text` for neighbour / SPV-style attacks: about `fraction` of the words
 * (at least one) are swapped with their neighbour, dropped, or masked with a filler; whitespace between
 * words is kept, so the length stays roughly the same. The draws come from `rng.fork` keyed by the text's
 * hash, so the same seed gives the same copies whatever order texts are perturbed in. No copy equals the
 * original. A text without words gives `[]`.
 *
 * @example perturb("the cat sat on the mat", new Rng(1), { copies: 2 }) // e.g. ["the sat cat on the mat", "the cat the on the mat"]
 */
export function perturb(text: string, rng: Rng, options: PerturbOptions = {}): string[] {
  const copies = options.copies ?? DEFAULTS.copies;
  const fraction = options.fraction ?? DEFAULTS.fraction;
  const ops = options.ops ?? DEFAULTS.ops;
  const filler = options.filler ?? DEFAULTS.filler;
  if (!Number.isInteger(copies) || copies < 0)
    throw new RangeError(`Expected copies to be a non-negative integer, got ${copies}`);
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`Expected fraction to be in (0, 1], got ${fraction}; use e.g. 0.15`);
  if (ops.length === 0) throw new RangeError("Expected at least one perturbation op, got none");
  if (/\s/.test(filler) || filler === "")
    throw new RangeError(`Expected filler to be one non-empty word, got ${JSON.stringify(filler)}`);

  const parts = text.split(/(\s+)/);
  const wordIdx = parts.flatMap((p, i) => (p !== "" && !/^\s+$/.test(p) ? [i] : []));
  if (wordIdx.length === 0) return [];
  const r = rng.fork(`perturb:${sha256(text).slice(0, 16)}`);
  const count = Math.max(1, Math.round(fraction * wordIdx.length));
  const positions = Array.from(wordIdx, (_, w) => w);
  const out: string[] = [];
  for (let c = 0; c < copies; c++) {
    let result = text;
    for (let attempt = 0; attempt < 8 && result === text; attempt++) {
      result = editOnce(parts, wordIdx, r.sample(positions, count), ops, filler, r);
    }
    out.push(result === text ? fallbackEdit(parts, wordIdx, filler) : result);
  }
  return out;
}

function editOnce(
  parts: readonly string[],
  wordIdx: readonly number[],
  chosen: readonly number[],
  ops: readonly PerturbOp[],
  filler: string,
  r: Rng,
): string {
  const words: (string | null)[] = wordIdx.map((i) => parts[i]!);
  for (const w of chosen) {
    const op = r.pick(ops);
    if (op === "mask") words[w] = filler;
    else if (op === "drop") words[w] = null;
    else {
      const other = w + 1 < words.length ? w + 1 : w - 1;
      if (other < 0) continue;
      [words[w], words[other]] = [words[other]!, words[w]!];
    }
  }
  return render(parts, wordIdx, words);
}

/** Rebuild the text; a dropped word takes its following whitespace with it. */
function render(
  parts: readonly string[],
  wordIdx: readonly number[],
  words: readonly (string | null)[],
): string {
  const out = parts.slice();
  wordIdx.forEach((pi, w) => {
    const word = words[w];
    if (word === null || word === undefined) {
      out[pi] = "";
      if (pi + 1 < out.length) out[pi + 1] = "";
      else if (pi > 0) out[pi - 1] = "";
    } else out[pi] = word;
  });
  return out.join("");
}

/** Guaranteed change: mask the first word that differs from the filler, else drop the first word. */
function fallbackEdit(parts: readonly string[], wordIdx: readonly number[], filler: string): string {
  const words: (string | null)[] = wordIdx.map((i) => parts[i]!);
  const w = words.findIndex((x) => x !== filler);
  if (w >= 0) words[w] = filler;
  else words[0] = null;
  return render(parts, wordIdx, words);
}
