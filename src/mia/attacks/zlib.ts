import { deflateSync } from "node:zlib";
import { meanLogprob } from "../token-stats.js";
import { defineAttack, type MiaAttack } from "../types.js";

/**
 * Bytes of `text` (UTF-8) after zlib compression at the default level (6), header and checksum included,
 * like Python's `len(zlib.compress(text.encode()))`.
 *
 * Caveat: Node bundles Chromium's zlib fork, whose match finder differs from reference zlib; counts agree
 * on short strings (`"hello world"` → 19) but can differ by a few bytes on longer text.
 */
export function zlibBytes(text: string): number {
  return deflateSync(Buffer.from(text, "utf8"), { level: 6 }).length;
}

/**
 * zlib (Carlini et al. 2021): score = LL(x) / zlib_bytes(x). LL is negative, so dividing by the compressed
 * size shrinks the score of hard-to-compress text toward 0; higher still means member.
 */
export const zlibAttack: MiaAttack = defineAttack({
  id: "zlib",
  summary: "Mean log-probability divided by the zlib-compressed size of the text in bytes.",
  needs: [],
  compute: ({ target }) => {
    const ll = meanLogprob(target);
    return ll === null ? null : ll / zlibBytes(target.text);
  },
});
