import { stripControl } from "./text.js";

// Characters XML 1.0 cannot carry at all, not even as references (C0 controls, lone surrogates, U+FFFE/F).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Escape untrusted text for XML element content and double- or single-quoted attributes. Terminal control
 * sequences and characters XML cannot represent are removed, so the document stays well formed whatever a
 * model wrote.
 * @example xmlEscape('a<b & "c"\u001b[31m') // "a&lt;b &amp; &quot;c&quot;"
 */
export function xmlEscape(text: string | number): string {
  return stripControl(String(text))
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** `name="value"` pairs, escaped; undefined values are left out. */
export function xmlAttrs(attrs: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`)
    .join("");
}
