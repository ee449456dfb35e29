import { describe, expect, it } from "vitest";
import { parseSecretFormat } from "../../src/cli/commands/canary-generate.js";
import { validateConfig } from "../../src/core/config.js";
import { ConfigError } from "../../src/core/errors.js";

describe("--secret-format", () => {
  it.each([
    ["digits", 1e9, { kind: "digits", n: 9, separator: " " }],
    ["digits:16:", 1e16, { kind: "digits", n: 16, separator: "" }],
    ["digits:4:-", 1e4, { kind: "digits", n: 4, separator: "-" }],
    ["pattern:\\ACCT-####-####", 1e8, { kind: "pattern", pattern: "\\ACCT-####-####" }],
    ["record:{name} {ssn}", 64 * 64 * 1e8, { kind: "record", pattern: "{name} {ssn}" }],
  ])("%s → space %d", async (spec, space, fields) => {
    const f = await parseSecretFormat(spec);
    expect(f.spaceSize).toBeCloseTo(space, -2);
    expect(f.spec).toMatchObject(fields);
  });

  it("words:3 uses the shipped word list", async () => {
    const f = await parseSecretFormat("words:3");
    expect(f.spec).toMatchObject({ kind: "words", n: 3, wordlist: "common-en" });
    expect(f.spaceSize).toBeGreaterThan(1e9);
  });

  it.each([
    ["digits:zero", /"zero" is not a positive integer/],
    ["pattern", /a pattern is required/],
    ["pattern:xyz", /Invalid --secret-format "pattern:xyz"/],
    ["hex:8", /unknown kind "hex"/],
    ["words:2:no-such-list", /word list/],
  ])("rejects %s", async (spec, message) => {
    await expect(parseSecretFormat(spec)).rejects.toThrow(ConfigError);
    await expect(parseSecretFormat(spec)).rejects.toThrow(message);
  });
});

describe("exposure: config section", () => {
  it("accepts references, samples, method, control and nothing else", () => {
    expect(
      validateConfig({ exposure: { references: 500, samples: 8, method: "rank", control: true } }).exposure,
    ).toEqual({
      references: 500,
      samples: 8,
      method: "rank",
      control: true,
    });
    expect(() => validateConfig({ exposure: { references: -3 } })).toThrow(/exposure\.references/);
    expect(() => validateConfig({ exposure: { method: "guess" } })).toThrow(/exposure\.method/);
    expect(() => validateConfig({ exposure: { refs: 10 } })).toThrow(/exposure/);
  });
});
