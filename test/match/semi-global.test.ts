import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { editDistance } from "../../src/match/edit-distance.js";
import { semiGlobal, semiGlobalDp } from "../../src/match/semi-global.js";

function randomString(rng: Rng, maxLen: number, alphabet: string): string {
  return Array.from({ length: rng.int(maxLen + 1) }, () => alphabet[rng.int(alphabet.length)]).join("");
}

describe("semiGlobal", () => {
  it.each([
    ["abc", "xxabcxx", 0, 2, 5],
    ["abc", "xxabdxx", 1, 2, 5],
    ["abc", "", 3, 0, 0],
    ["", "anything", 0, 0, 0],
    ["443702577", "code 443702577.", 0, 5, 14],
    ["443702577", "code 443792577.", 1, 5, 14],
    ["443702577", "code 44370577.", 1, 5, 13],
    ["abcd", "zzzz", 4, 0, 0],
    ["aa", "aaa", 0, 0, 2],
  ] as const)("semiGlobal(%j, %j) = %d at [%d, %d)", (p, t, d, s, e) => {
    for (const f of [semiGlobal, semiGlobalDp]) {
      const r = f(p, t);
      expect(r.distance).toBe(d);
      expect([r.start, r.end]).toEqual([s, e]);
    }
  });

  it("normalises by the pattern length", () => {
    expect(semiGlobal("123456789", "xx123456780yy").normalized).toBeCloseTo(1 / 9, 12);
  });

  it("handles patterns longer than 32 units (DP path) and exactly 32 (bit-parallel)", () => {
    const p32 = "abcdefghijklmnopqrstuvwxyz012345";
    expect(semiGlobal(p32, `..${p32}..`)).toMatchObject({ distance: 0, start: 2, end: 34 });
    const p40 = `${p32}ABCDEFGH`;
    const t = `xx${p40.slice(0, 20)}?${p40.slice(21)}yy`;
    expect(semiGlobal(p40, t)).toMatchObject({ distance: 1, start: 2, end: 42 });
  });

  it("property: ≤ global distance, 0 iff substring, span has exactly that distance, Myers = DP", () => {
    const rng = new Rng(42, "semi-global");
    for (let t = 0; t < 600; t++) {
      const alphabet = t % 3 === 0 ? "01" : t % 3 === 1 ? "abcd" : "ab \u0430\ud83d\ude00";
      const pattern = randomString(rng, t % 2 === 0 ? 12 : 40, alphabet);
      let text = randomString(rng, 60, alphabet);
      if (t % 4 === 0 && pattern.length > 0) {
        const at = rng.int(text.length + 1);
        text = text.slice(0, at) + pattern + text.slice(at);
      }
      const r = semiGlobal(pattern, text);
      expect(r.distance).toBeLessThanOrEqual(editDistance(pattern, text));
      expect(r.distance === 0).toBe(text.includes(pattern));
      expect(editDistance(pattern, text.slice(r.start, r.end))).toBe(r.distance);
      const dp = semiGlobalDp(pattern, text);
      expect([r.distance, r.start, r.end]).toEqual([dp.distance, dp.start, dp.end]);
    }
  });
});

describe("semiGlobalDistance (bit-parallel, blocks of 32)", () => {
  it("equals the DP's distance for patterns of 1 to 150 units", async () => {
    const { semiGlobalDp, semiGlobalDistance, patternMasks } = await import("../../src/match/semi-global.js");
    const { Rng } = await import("../../src/core/rng.js");
    const rng = new Rng(5, "myers-blocks");
    // ASCII letters and units above 127 (table and map rows of the masks).
    const units = ["a", "b", "é", "中", "c", "\u00a0", "d", "\ud83d"];
    const word = (n: number, alpha: number) =>
      Array.from({ length: n }, () => units[rng.int(alpha)]!).join("");
    for (let t = 0; t < 400; t++) {
      const alpha = 2 + rng.int(7);
      const pattern = word(1 + rng.int(150), alpha);
      const text =
        rng.next() < 0.5
          ? word(rng.int(200), alpha)
          : word(rng.int(20), alpha) +
            pattern.replace(/./g, (c) => (rng.next() < 0.1 ? "z" : c)) +
            word(rng.int(20), alpha);
      const want = semiGlobalDp(pattern, text).distance;
      expect(semiGlobalDistance(pattern, text), `${pattern} / ${text}`).toBe(want);
      // One pattern's masks, reused for a second text.
      const masks = patternMasks(pattern);
      expect(semiGlobalDistance(masks, text)).toBe(want);
      const other = word(rng.int(60), alpha);
      expect(semiGlobalDistance(masks, other)).toBe(semiGlobalDp(pattern, other).distance);
    }
    expect(semiGlobalDistance("", "abc")).toBe(0);
    expect(semiGlobalDistance("abc", "")).toBe(3);
    expect(semiGlobalDistance("a".repeat(64), "a".repeat(64))).toBe(0);
  });
});

describe("semiGlobalBanded (bit-parallel end, banded DP for the start)", () => {
  it("equals the DP (distance, start and end) on random texts, near copies and ties", async () => {
    const { semiGlobalDp, semiGlobalBanded, semiGlobalEnd, patternMasks } = await import(
      "../../src/match/semi-global.js"
    );
    const { Rng } = await import("../../src/core/rng.js");
    const rng = new Rng(9, "banded");
    const units = ["a", "b", "é", "c", "中", "d"];
    const word = (n: number, alpha: number) =>
      Array.from({ length: n }, () => units[rng.int(alpha)]!).join("");
    for (let t = 0; t < 1500; t++) {
      const alpha = 1 + rng.int(units.length);
      const pattern = word(1 + rng.int(t < 300 ? 12 : 120), alpha);
      const r = rng.next();
      const text =
        r < 0.3
          ? word(rng.int(150), alpha)
          : word(rng.int(20), alpha) +
            pattern.replace(/./gu, (c) => (rng.next() < 0.08 ? (rng.next() < 0.5 ? "" : "zz") : c)) +
            (r < 0.6 ? pattern.slice(0, rng.int(pattern.length + 1)) : "") +
            word(rng.int(20), alpha);
      const want = semiGlobalDp(pattern, text);
      expect(semiGlobalBanded(pattern, text), `${pattern} / ${text}`).toEqual(want);
      const masks = patternMasks(pattern);
      expect(semiGlobalBanded(pattern, text, masks)).toEqual(want);
      const known = semiGlobalEnd(masks, text);
      expect(known).toEqual({ distance: want.distance, end: want.end });
      expect(semiGlobalBanded(pattern, text, masks, known)).toEqual(want);
    }
    expect(semiGlobalBanded("", "abc")).toEqual(semiGlobalDp("", "abc"));
    expect(semiGlobalBanded("abc", "")).toEqual(semiGlobalDp("abc", ""));
    expect(semiGlobalBanded("abc", "xxabdxx")).toEqual({ distance: 1, start: 2, end: 5, normalized: 1 / 3 });
  });
});
