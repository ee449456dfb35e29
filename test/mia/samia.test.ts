import { describe, expect, it } from "vitest";
import { rouge1Recall, samiaScore, samiaSplit } from "../../src/mia/samia.js";

describe("rouge1Recall", () => {
  it.each([
    // multiset overlap: a:min(2,1)=1, b:min(1,2)=1 → 2/4
    [["a", "a", "b"], ["a", "b", "b", "c"], 0.5],
    [["x"], ["a", "b"], 0],
    [[], ["a"], 0],
    [["a"], [], 0],
    [["c", "b", "a"], ["a", "b", "c"], 1], // order does not matter
    [["A"], ["a"], 0], // case matters, as in the official code
  ])("%j vs %j → %f", (cand, ref, r) => {
    expect(rouge1Recall(cand, ref)).toBeCloseTo(r, 12);
  });
});

describe("samiaSplit", () => {
  it("cuts at round(n·ratio) words, Python rounding", () => {
    expect(samiaSplit("a b c d e")).toEqual({ prefix: "a b", suffix: ["c", "d", "e"] }); // round(2.5) = 2
    expect(samiaSplit("a b c d e f g")).toEqual({ prefix: "a b c d", suffix: ["e", "f", "g"] }); // round(3.5) = 4
    expect(samiaSplit("a  b c d")).toEqual({ prefix: "a b", suffix: ["c", "d"] }); // empty words dropped
  });
});

describe("samiaScore", () => {
  const suffix = ["c", "d", "e"];
  it("averages ROUGE-1 recall over samples", () => {
    expect(samiaScore(["c d x", "y"], suffix)).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(samiaScore([], suffix)).toBeNull();
  });

  it("zlib variant weights by compressed size of each sample", () => {
    // Python: len(zlib.compress(b"c d x")) = 13, len(zlib.compress(b"y")) = 9
    expect(samiaScore(["c d x", "y"], suffix, { zlib: true })).toBeCloseTo(((2 / 3) * 13 + 0 * 9) / 2, 12);
  });
});
