import type { Rng } from "../core/rng.js";
import { makeFormat, type SecretFormat } from "./formats.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

type Slot = string | readonly string[];

/** Split a pattern into literal characters and character classes. */
function parsePattern(pattern: string): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) slots.push(pattern[++i]!);
    else if (ch === "#") slots.push([...DIGITS]);
    else if (ch === "A") slots.push([...UPPER]);
    else if (ch === "a") slots.push([...LOWER]);
    else slots.push(ch);
  }
  return slots;
}

/**
 * A fixed-shape secret: `#` a digit, `A` an uppercase letter, `a` a lowercase letter, `\x` a literal x,
 * anything else literal. Space = 10^(#s) · 26^(letters). Note that every `A` or `a` in the pattern is
 * a letter slot: write a literal `A` as `\A` (in JSON, `"\\ACCT-####-####"`).
 *
 * @example patternFormat("\\ACCT-####-####").draw(rng) // "ACCT-0412-9377" (space 10⁸)
 * @example patternFormat("AA-####").draw(rng) // "QZ-5120" (space 26²·10⁴)
 */
export function patternFormat(pattern: string): SecretFormat {
  const slots = parsePattern(pattern);
  const space = slots.reduce((s, slot) => s * (typeof slot === "string" ? 1 : slot.length), 1);
  if (space < 2)
    throw new RangeError(`Expected a pattern with at least one #, A or a slot, got "${pattern}"`);
  const draw = (rng: Rng): string =>
    slots.map((slot) => (typeof slot === "string" ? slot : rng.pick(slot))).join("");
  return makeFormat({ kind: "pattern", pattern, render: pattern }, space, draw);
}
