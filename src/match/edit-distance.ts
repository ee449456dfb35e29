/** Global edit distance (Levenshtein), through `fast-levenshtein`, the only importer of that package. */
import levenshtein from "fast-levenshtein";

/**
 * Levenshtein distance between two strings (UTF-16 units; unit costs).
 * @example editDistance("kitten", "sitting") // 3
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  return levenshtein.get(a, b);
}

/**
 * Edit distance divided by the longer length, in [0, 1]; 0 when both are empty.
 * @example normalizedEditDistance("abcd", "abed") // 0.25
 */
export function normalizedEditDistance(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 0 : editDistance(a, b) / n;
}
