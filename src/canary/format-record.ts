import type { Rng } from "../core/rng.js";
import { makeFormat, type SecretFormat } from "./formats.js";

/** Fake first names for record secrets and prompt templates (no real person intended). */
export const FIRST_NAMES: readonly string[] = (
  "Ada Alan Alma Amir Anya Arlo Beth Boris Cara Cyrus Dana Dario Eden Elio Emma Enzo Faye Felix Gina Gus " +
  "Hana Hugo Ida Igor Iris Ivan Jada Joel June Kai Kira Lars Lena Leo Lila Luca Maya Milo Nadia Nico " +
  "Nora Omar Opal Oren Pia Quinn Rafa Rhea Rosa Rudy Sana Saul Tara Theo Uma Uri Vera Vik Wren Xena " +
  "Yara Yuri Zara Zeke"
).split(" ");

/** Fake family names. */
export const LAST_NAMES: readonly string[] = (
  "Abbott Alder Archer Barlow Beck Blythe Brandt Calder Carver Colby Crane Dalton Dorsey Drake Ellery " +
  "Emery Farrow Fenwick Finch Garner Gentry Hale Harlow Hewitt Holt Ingram Irwin Jarvis Keane Kemp " +
  "Lane Larkin Lowell Marsh Mercer Monroe Nash Noble Oakley Orton Paige Pryor Quill Radley Reyes Rook " +
  "Sawyer Shaw Sloane Tate Thorne Tolliver Upton Vance Voss Wade Whitlock Winslow Yates Yoder Zeller Bishop Quincy Royce"
).split(" ");

/** Fields a record template can use. */
export const RECORD_FIELDS = ["name", "email", "phone", "ssn"] as const;

/** The default record template. */
export const DEFAULT_RECORD_TEMPLATE = "{name}, {email}, {phone}, SSN {ssn}";

const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(rng.int(10))).join("");

/**
 * A PII-shaped fake record: a name from {@link FIRST_NAMES} × {@link LAST_NAMES}, an e-mail on
 * example.com (`first.last42@example.com`), a fictional 555-01xx phone number (`(NXX) 555-01##`,
 * area code 200–999) and an SSN-shaped ID in the never-issued 900 range (`9##-##-####`).
 * `template` places them with `{name}`, `{email}`, `{phone}`, `{ssn}`. The space counts only the fields
 * the template uses (name and e-mail share the drawn name).
 *
 * @example recordFormat().draw(rng) // "Nora Holt, nora.holt07@example.com, (415) 555-0132, SSN 912-44-0981"
 */
export function recordFormat(template = DEFAULT_RECORD_TEMPLATE): SecretFormat {
  const used = new Set(RECORD_FIELDS.filter((f) => template.includes(`{${f}}`)));
  if (used.size === 0) {
    throw new RangeError(
      `Expected a record template using {name}, {email}, {phone} or {ssn}, got "${template}"`,
    );
  }
  let space = 1;
  if (used.has("name") || used.has("email")) space *= FIRST_NAMES.length * LAST_NAMES.length;
  if (used.has("email")) space *= 100;
  if (used.has("phone")) space *= 800 * 100;
  if (used.has("ssn")) space *= 1e8;
  const draw = (rng: Rng): string => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const values: Record<string, string> = {
      name: `${first} ${last}`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}${digits(rng, 2)}@example.com`,
      phone: `(${200 + rng.int(800)}) 555-01${digits(rng, 2)}`,
      ssn: `9${digits(rng, 2)}-${digits(rng, 2)}-${digits(rng, 4)}`,
    };
    return template.replace(/\{(name|email|phone|ssn)\}/g, (_, k: string) => values[k]!);
  };
  return makeFormat({ kind: "record", pattern: template, render: template }, space, draw);
}
