import { stripControl } from "../text.js";

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML (element content and quoted attribute values, in HTML and inline SVG alike).
 * Model outputs and user data are untrusted: everything from an event passes through here, and terminal
 * control codes are stripped first.
 * @example esc('<img onerror="x">') // "&lt;img onerror=&quot;x&quot;&gt;"
 */
export function esc(text: string | number): string {
  return stripControl(String(text)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A CSS-safe token for an id or class built from untrusted text (letters, digits, `-`, `_` only). */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 80) || "x";
}
