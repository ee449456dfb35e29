import { describe, expect, it } from "vitest";
import { digitsFormat } from "../../src/canary/format-digits.js";
import { patternFormat } from "../../src/canary/format-pattern.js";
import {
  DEFAULT_RECORD_TEMPLATE,
  FIRST_NAMES,
  LAST_NAMES,
  recordFormat,
} from "../../src/canary/format-record.js";
import { formatFromSpec } from "../../src/canary/format-spec.js";
import { loadWordlist, wordsFormat } from "../../src/canary/format-words.js";
import { ConfigError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";

describe("digits", () => {
  const f = digitsFormat(9, " ");
  it("draws nine space-separated digits from a space of 10^9, like the lab", () => {
    expect(f.spaceSize).toBe(1e9);
    expect(f.draw(new Rng(1))).toMatch(/^\d( \d){8}$/);
    expect(f.spec).toEqual({
      kind: "digits",
      n: 9,
      separator: " ",
      render: "space-separated digits",
      spaceSize: 1e9,
    });
  });

  it("is reproducible under a seed", () => {
    expect(f.draw(new Rng(5, "x"))).toBe(f.draw(new Rng(5, "x")));
  });

  it("draws roughly uniform digits", () => {
    const rng = new Rng(2);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) for (const d of digitsFormat(1).draw(rng)) counts[Number(d)]++;
    for (const c of counts) expect(c).toBeGreaterThan(140);
  });

  it("samples distinct references that avoid the excluded secrets", () => {
    const small = digitsFormat(2, "");
    const exclude = ["00", "42"];
    const refs = small.sampleDistinct(new Rng(3), 98, exclude);
    expect(new Set(refs).size).toBe(98);
    expect(refs).not.toContain("42");
    expect(() => small.sampleDistinct(new Rng(3), 99, exclude)).toThrow(/at most 98 distinct/);
  });
});

describe("words", () => {
  it("ships a word list of a few thousand distinct common words", async () => {
    const words = await loadWordlist();
    expect(words.length).toBeGreaterThan(2000);
    expect(new Set(words).size).toBe(words.length);
    expect(words.every((w) => /^[a-z]{3,8}$/.test(w))).toBe(true);
  });

  it("draws n words with space |list|^n", () => {
    const f = wordsFormat(["red", "green", "blue"], 4, "-");
    expect(f.spaceSize).toBe(81);
    expect(f.draw(new Rng(1))).toMatch(/^(red|green|blue)(-(red|green|blue)){3}$/);
    expect(f.spec).toMatchObject({ kind: "words", n: 4, separator: "-", wordlist: "common-en" });
  });

  it("refuses a missing list with a ConfigError", async () => {
    await expect(loadWordlist("no-such-list")).rejects.toThrow(ConfigError);
  });
});

describe("pattern", () => {
  it.each([
    ["\\ACCT-####-####", 1e8, /^ACCT-\d{4}-\d{4}$/],
    ["AA-##", 26 * 26 * 100, /^[A-Z]{2}-\d\d$/],
    ["key_aaaa", 26 ** 4, /^key_[a-z]{4}$/],
  ])("%s has space %d", (pattern, space, shape) => {
    const f = patternFormat(pattern);
    expect(f.spaceSize).toBe(space);
    expect(f.draw(new Rng(9))).toMatch(shape);
  });

  it("refuses a pattern with nothing random", () => {
    expect(() => patternFormat("\\ACCT")).toThrow(/at least one/);
  });
});

describe("record", () => {
  it("draws PII-shaped fake records on example.com, 555-01xx and 9xx SSNs", () => {
    const f = recordFormat();
    const r = f.draw(new Rng(4));
    expect(r).toMatch(
      /^[A-Z][a-z]+ [A-Z][a-z]+, [a-z]+\.[a-z]+\d\d@example\.com, \(\d{3}\) 555-01\d\d, SSN 9\d\d-\d\d-\d{4}$/,
    );
    expect(f.spec.pattern).toBe(DEFAULT_RECORD_TEMPLATE);
    expect(f.spaceSize).toBe(FIRST_NAMES.length * LAST_NAMES.length * 100 * 80_000 * 1e8);
    expect(FIRST_NAMES.length * LAST_NAMES.length).toBe(4096);
  });

  it("counts only the fields the template uses", () => {
    expect(recordFormat("call {phone}").spaceSize).toBe(80_000);
    expect(() => recordFormat("nothing here")).toThrow(/template/);
  });
});

describe("formatFromSpec", () => {
  it("rebuilds each kind from its manifest spec", async () => {
    expect((await formatFromSpec({ kind: "digits", n: 9, separator: " ", spaceSize: 1e9 })).spaceSize).toBe(
      1e9,
    );
    const words = await formatFromSpec({ kind: "words", n: 3, wordlist: "common-en" });
    expect(words.spaceSize).toBe((await loadWordlist()).length ** 3);
    expect((await formatFromSpec({ kind: "pattern", pattern: "##" })).spaceSize).toBe(100);
    expect((await formatFromSpec({ kind: "record", pattern: "{ssn}" })).spaceSize).toBe(1e8);
  });

  it.each([
    [{ kind: "digits" }, /with `n`/],
    [{ kind: "digits", n: 9, spaceSize: 1e6 }, /spaceSize to be 1000000000.*got 1000000/],
    [{ kind: "emoji" }, /format kind in digits, words, pattern, record, got "emoji"/],
  ])("refuses %j", async (spec, message) => {
    await expect(formatFromSpec(spec)).rejects.toThrow(message);
  });
});
