import { describe, expect, it } from "vitest";
import { digitValue, normalize, toRawSpan } from "../../src/match/normalize.js";

describe("normalize", () => {
  it.each([
    ["text", "Hello   World", "hello world"],
    ["text", "Ｐａｓｓ１２", "pass12"],
    ["text", "p\u0430ssw\u043erd", "password"],
    ["text", "ΑΒΓ", "abγ"],
    ["text", "zero\u200bwidth\u200d", "zerowidth"],
    ["text", "a\n\t b", "a b"],
    ["text", "e\u0301", "é"],
    ["layout", "Keep  Case", "Keep Case"],
    ["digits", "7 0 0 5", "7005"],
    ["digits", "７ ０-０\n５", "7005"],
    ["digits", "no digits", ""],
    ["digits", "", ""],
  ] as const)("%s(%j) = %j", (form, raw, want) => {
    expect(normalize(raw, form).text).toBe(want);
  });

  it("maps normalised spans back to raw spans", () => {
    const raw = "code: ７ 0\n0  5!";
    const n = normalize(raw, "digits");
    expect(n.text).toBe("7005");
    const [s, e] = toRawSpan(n, 0, 4);
    expect(raw.slice(s, e)).toBe("７ 0\n0  5");
    const [s2, e2] = toRawSpan(n, 1, 3);
    expect(raw.slice(s2, e2)).toBe("0\n0");
  });

  it("maps expansions (ligatures) and collapsed whitespace to the whole raw unit", () => {
    const raw = "\ufb01ne  \n day";
    const n = normalize(raw, "text");
    expect(n.text).toBe("fine day");
    expect(toRawSpan(n, 0, 1)).toEqual([0, 1]);
    expect(toRawSpan(n, 1, 2)).toEqual([0, 1]);
    const [s, e] = toRawSpan(n, 4, 5);
    expect(raw.slice(s, e)).toBe("  \n ");
  });

  it("passes lone surrogates through and keeps pairs whole", () => {
    const raw = "a\ud800b\u{1F600}c";
    const n = normalize(raw, "layout");
    expect(n.text).toBe(raw);
    expect(n.starts).toEqual([0, 1, 2, 3, 3, 5]);
  });

  it("handles empty input and empty spans", () => {
    const n = normalize("", "text");
    expect(n.text).toBe("");
    expect(toRawSpan(n, 0, 0)).toEqual([0, 0]);
    expect(toRawSpan(normalize("ab", "text"), 2, 2)).toEqual([2, 2]);
  });

  it("maps decimal digits of every script to ASCII in the digits form, keeping offsets", () => {
    expect(["٤", "४", "৭", "๙", "𝟒", "０", "a", "½"].map(digitValue)).toEqual([4, 4, 7, 9, 4, 0, -1, -1]);
    const raw = "code ٤ ٤३7";
    const n = normalize(raw, "digits");
    expect(n.text).toBe("4437");
    expect(toRawSpan(n, 1, 3)).toEqual([7, 9]);
  });
});
