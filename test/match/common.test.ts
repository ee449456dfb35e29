import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import {
  commonPrefixLength,
  commonTokenPrefix,
  longestCommonSubstring,
  wordTokens,
} from "../../src/match/common.js";

/** Quadratic reference for the longest common substring length. */
function lcsLength(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      best = Math.max(best, k);
    }
  return best;
}

describe("common prefixes", () => {
  it.each([
    ["", "", 0],
    ["abc", "abd", 2],
    ["abc", "abc", 3],
    ["abc", "abcdef", 3],
    ["x", "y", 0],
  ] as const)("commonPrefixLength(%j, %j) = %d", (a, b, n) => {
    expect(commonPrefixLength(a, b)).toBe(n);
  });

  it("counts whole whitespace tokens", () => {
    expect(wordTokens("  the cat\n sat ")).toEqual(["the", "cat", "sat"]);
    expect(commonTokenPrefix(wordTokens("the cat sat"), wordTokens("the  cat sits"))).toBe(2);
    expect(commonTokenPrefix(wordTokens("the ca"), wordTokens("the cat"))).toBe(1);
    expect(commonTokenPrefix([], ["a"])).toBe(0);
  });
});

describe("longestCommonSubstring", () => {
  it.each([
    ["xxabcdyy", "zabcdz", 4, 2, 1],
    ["zabcdz", "xxabcdyy", 4, 1, 2],
    ["abc", "xyz", 0, 0, 0],
    ["", "abc", 0, 0, 0],
    ["banana", "ananas", 5, 1, 0],
  ] as const)("lcs(%j, %j) has length %d at %d / %d", (a, b, len, as, bs) => {
    const r = longestCommonSubstring(a, b);
    expect(r).toEqual({ length: len, aStart: as, bStart: bs });
  });

  it("agrees with a quadratic reference on seeded random strings", () => {
    const rng = new Rng(7, "lcs");
    for (let t = 0; t < 300; t++) {
      const a = Array.from({ length: rng.int(30) }, () => "ab c"[rng.int(4)]).join("");
      const b = Array.from({ length: rng.int(30) }, () => "ab c"[rng.int(4)]).join("");
      const r = longestCommonSubstring(a, b);
      expect(r.length).toBe(lcsLength(a, b));
      expect(a.slice(r.aStart, r.aStart + r.length)).toBe(b.slice(r.bStart, r.bStart + r.length));
    }
  });
});
