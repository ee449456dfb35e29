/**
 * Model outputs and user data are untrusted: before any of it reaches a terminal or a Markdown file,
 * strip terminal control sequences and escape markup.
 */

// ESC-based sequences (CSI, OSC, and two-byte escapes), then any other C0/C1 control except \n and \t.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Remove terminal control codes; keep newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ANSI, "").replace(CONTROL, "");
}

/** Safe inside a Markdown table cell: no control codes, no live HTML, no pipes or newlines breaking the row. */
export function mdCell(text: string): string {
  return stripControl(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

export function pct(x: number | null): string {
  return x === null ? "–" : `${(x * 100).toFixed(1)}%`;
}
