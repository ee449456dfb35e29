import { zlibBytes } from "./attacks/zlib.js";

/** Split on spaces and drop empty strings, as SaMIA does (`text.split(" ")`, case kept). */
export function samiaWords(text: string): string[] {
  return text.split(" ").filter((w) => w !== "");
}

/** Round half to even, like Python's `round`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Split a text into the prompt SaMIA gives the model and the suffix it compares against: the first
 * round(ratio·n) words (Python rounding, half to even) and the rest, n the number of space-separated words.
 *
 * @example samiaSplit("a b c d e") // { prefix: "a b", suffix: ["c", "d", "e"] }  (round(2.5) = 2)
 */
export function samiaSplit(text: string, prefixRatio = 0.5): { prefix: string; suffix: string[] } {
  if (!(prefixRatio >= 0 && prefixRatio <= 1))
    throw new RangeError(`Expected prefixRatio in [0, 1], got ${prefixRatio}; SaMIA uses 0.5`);
  const words = samiaWords(text);
  const cut = roundHalfEven(words.length * prefixRatio);
  return { prefix: words.slice(0, cut).join(" "), suffix: words.slice(cut) };
}

/**
 * ROUGE-1 recall: multiset unigram overlap between candidate and reference words / |reference words|.
 * 0 when either is empty.
 *
 * @example rouge1Recall(["a", "a", "b"], ["a", "b", "b", "c"]) // overlap a:1 + b:1 = 2 → 2/4 = 0.5
 */
export function rouge1Recall(candidate: readonly string[], reference: readonly string[]): number {
  if (candidate.length === 0 || reference.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of reference) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of candidate) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      overlap++;
      counts.set(w, c - 1);
    }
  }
  return overlap / reference.length;
}

/** Options for `samiaScore`. */
export interface SamiaOptions {
  /** Weight each sample's recall by the zlib size in bytes of its words joined by spaces. Default false. */
  readonly zlib?: boolean;
}

/**
 * SaMIA (Kaneko et al. 2024), for targets without logprobs: the mean over sampled continuations of the
 * ROUGE-1 recall of each continuation's words against the true suffix's words. Higher means member. With
 * `zlib`, each recall is multiplied by `zlib_bytes(candidate)` as in the official code. Continuations are the
 * generated text only (no prompt); compare against `samiaSplit(text).suffix`. Null when there are no samples.
 *
 * @example samiaScore(["c d x", "y"], ["c", "d", "e"]) // (2/3 + 0) / 2 = 0.333
 */
export function samiaScore(
  samples: readonly string[],
  suffix: readonly string[],
  options: SamiaOptions = {},
): number | null {
  if (samples.length === 0) return null;
  let sum = 0;
  for (const s of samples) {
    const words = samiaWords(s);
    const recall = rouge1Recall(words, suffix);
    sum += options.zlib ? recall * zlibBytes(words.join(" ")) : recall;
  }
  return sum / samples.length;
}
