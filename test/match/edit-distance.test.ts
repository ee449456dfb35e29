import { describe, expect, it } from "vitest";
import { editDistance, normalizedEditDistance } from "../../src/match/edit-distance.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["4437025", "4437925", 1],
    ["abc", "abc", 0],
  ] as const)("d(%j, %j) = %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each([
    ["", "", 0],
    ["abcd", "abed", 0.25],
    ["abc", "", 1],
    ["kitten", "sitting", 3 / 7],
  ] as const)("normalized(%j, %j) = %d", (a, b, d) => {
    expect(normalizedEditDistance(a, b)).toBeCloseTo(d, 12);
  });
});
