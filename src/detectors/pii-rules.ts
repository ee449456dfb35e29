/** PII shapes and checksums: pure scanners returning spans of the text they are given. */

/** One PII item found by a rule. `validated` is true when a checksum (Luhn, mod-97) passed. */
export interface PiiItem {
  readonly rule: PiiRule;
  readonly start: number;
  readonly end: number;
  readonly validated: boolean;
}

export type PiiRule = "card" | "iban" | "ssn" | "email" | "phone" | "api-key";

/**
 * Luhn checksum over a digit string (all-zero strings are rejected).
 * @example luhnValid("4111111111111111") // true
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * IBAN mod-97 check on a compact upper-case IBAN (country, check digits, BBAN).
 * @example ibanValid("DE89370400440532013000") // true
 */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

function* regexItems(text: string, re: RegExp, rule: PiiRule, ok: (s: string) => boolean | null) {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const v = ok(m[0]);
    if (v !== false) yield { rule, start: m.index, end: m.index + m[0].length, validated: v === true };
  }
}

const CARD = /(?<![\d])\d(?:[ -]?\d){12,18}(?![ -]?\d)/g;
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const NANP = /(?<![\d+][ .-]?|\d)(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]\d{4}(?![ .-]?\d)/g;
const E164 = /(?<![\d\w+])\+[1-9](?:[ .-]?\d){7,14}(?![ .-]?\d)/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;
const API_KEYS =
  /\b(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|[a-z]+_(?:live|test)_[A-Za-z0-9]{16,})/g;

/** IBAN candidates: the longest prefix (≥ 15 chars) of a shape match that passes mod-97. */
function* ibanItems(text: string): Generator<PiiItem> {
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
    const ends: number[] = [];
    let compact = "";
    for (let i = 0; i < m[0].length; i++) {
      if (m[0][i] === " ") continue;
      compact += m[0][i];
      ends.push(m.index + i + 1);
    }
    for (let n = compact.length; n >= 15; n--) {
      if (ibanValid(compact.slice(0, n))) {
        yield { rule: "iban", start: m.index, end: ends[n - 1]!, validated: true };
        break;
      }
    }
  }
}

/** E-mail addresses, scanned outward from each "@" with bounded lengths (linear on long inputs). */
function* emailItems(text: string): Generator<PiiItem> {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let s = at;
    while (s > 0 && at - s < 64 && /[A-Za-z0-9._%+-]/.test(text[s - 1]!)) s--;
    let e = at + 1;
    while (e < text.length && e - at < 254 && /[A-Za-z0-9.-]/.test(text[e]!)) e++;
    while (e > at + 1 && /[.-]/.test(text[e - 1]!)) e--;
    while (s < at && text[s] === ".") s++;
    const domain = text.slice(at + 1, e);
    if (s < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) {
      yield { rule: "email", start: s, end: e, validated: false };
    }
  }
}

/**
 * Every PII item in the text, checksum-validated kinds first; an item overlapping an earlier one is dropped.
 * @example scanPii("card 4111 1111 1111 1111").map((i) => i.rule) // ["card"]
 */
export function scanPii(text: string): PiiItem[] {
  const digits = (s: string) => s.replace(/\D/g, "");
  const sources: Iterable<PiiItem>[] = [
    regexItems(text, CARD, "card", (s) => luhnValid(digits(s)) || false),
    ibanItems(text),
    regexItems(text, API_KEYS, "api-key", () => null),
    regexItems(text, SSN, "ssn", () => null),
    emailItems(text),
    regexItems(text, NANP, "phone", () => null),
    regexItems(text, E164, "phone", () => null),
  ];
  const items: PiiItem[] = [];
  const taken = new Uint8Array(text.length);
  for (const src of sources) {
    for (const it of src) {
      if (taken.subarray(it.start, it.end).some((b) => b === 1)) continue;
      taken.fill(1, it.start, it.end);
      items.push(it);
    }
  }
  return items.sort((a, b) => a.start - b.start);
}
