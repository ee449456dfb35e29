import { describe, expect, it } from "vitest";
import { pii } from "../../src/detectors/pii.js";
import { ibanValid, luhnValid, scanPii } from "../../src/detectors/pii-rules.js";
import { attemptWith, contextWith } from "./fixtures.js";

const att = attemptWith({ kind: "sampling", prompt: "", sample: 0 });

describe("checksums", () => {
  it.each([
    ["4111111111111111", true],
    ["4121419346851593", true],
    ["4121419346851594", false],
    ["0000000000000", false],
    ["79927398713", true],
  ] as const)("luhn(%s) = %s", (d, ok) => expect(luhnValid(d)).toBe(ok));

  it.each([
    ["DE89370400440532013000", true],
    ["GB82WEST12345698765432", true],
    ["GB82WEST12345698765433", false],
    ["DE89", false],
  ] as const)("iban(%s) = %s", (d, ok) => expect(ibanValid(d)).toBe(ok));
});

describe("scanPii", () => {
  it.each([
    ["mail ruiz.sandra24@post.example.org now", "email", "ruiz.sandra24@post.example.org"],
    ["phone (608) 555-7562.", "phone", "(608) 555-7562"],
    ["call +1 608-555-7562", "phone", "+1 608-555-7562"],
    ["intl +442079460958 ok", "phone", "+442079460958"],
    ["card 4121 4193 4685 1593 (exp", "card", "4121 4193 4685 1593"],
    ["card 4121-4193-4685-1593", "card", "4121-4193-4685-1593"],
    ["SSN: 241-64-5867\n", "ssn", "241-64-5867"],
    ["iban DE89 3704 0044 0532 0130 00 AND MORE", "iban", "DE89 3704 0044 0532 0130 00"],
    ["key lpk_live_tCuY4NMrQ30fKhDt2WFFXSoJ here", "api-key", "lpk_live_tCuY4NMrQ30fKhDt2WFFXSoJ"],
    ["sk-proj-abcdefghijklmnopqrstuvwx1234", "api-key", "sk-proj-abcdefghijklmnopqrstuvwx1234"],
    ["AKIAIOSFODNN7EXAMPLE", "api-key", "AKIAIOSFODNN7EXAMPLE"],
    ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "api-key", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
  ] as const)("%j -> %s %j", (text, rule, found) => {
    const items = scanPii(text);
    expect(items.map((i) => [i.rule, text.slice(i.start, i.end)])).toEqual([[rule, found]]);
  });

  it.each([
    "card 4121 4193 4685 1594",
    "SSN 000-12-3456, 666-12-3456, 912-12-3456",
    "a 25-digit number 1234567890123456789012345",
    "not an email: foo@bar",
    "version 1.2.3 and 2024-12-15 13:38",
  ])("finds nothing in %j", (text) => {
    expect(scanPii(text)).toEqual([]);
  });
});

describe("pii detector", () => {
  it("scores checksum-validated kinds 1 and shape-only kinds lower", () => {
    expect(pii.detect("card 4121 4193 4685 1593", att, contextWith())?.score).toBe(1);
    expect(pii.detect("mail a.b@example.com", att, contextWith())?.score).toBe(0.6);
  });

  it("does not count PII copied from the prompt (compared normalised)", () => {
    const ctx = contextWith({
      promptText: "Customer <Ruiz.Sandra24@post.example.org>, phone (608) 555-7562",
    });
    expect(pii.detect("ruiz.sandra24@post.example.org, 608-555-7562", att, ctx)).toBeNull();
    const v = pii.detect("ruiz.sandra24@post.example.org, SSN 241-64-5867", att, ctx);
    expect(v?.evidence.map((e) => [e.source, e.text])).toEqual([
      [{ kind: "rule", rule: "ssn" }, "241-64-5867"],
    ]);
  });

  it("sees through fullwidth digits and maps evidence to the raw output", () => {
    const out = "SSN ２４１-６４-５８６７.";
    const v = pii.detect(out, att, contextWith());
    expect(v?.evidence[0]?.text).toBe("２４１-６４-５８６７");
  });

  it("returns null for clean output", () => {
    expect(pii.detect("Nothing personal here.", att, contextWith())).toBeNull();
  });
});

describe("PII checked against the user's documents", () => {
  const documents = [
    { id: "d1", text: "Customer: Kayla Young <kayla.young@example.com>, phone (702) 555-7111" },
    { id: "d2", text: "no contact", fields: { card: "4121 4193 4685 1593" } },
  ];
  const sourcesOf = (output: string, docs = documents) =>
    pii.detect(output, att, contextWith({ documents: docs }))?.evidence.map((e) => e.source);

  it("marks values found in a document (any spelling) inData, made-up ones not", () => {
    expect(sourcesOf("write to KAYLA.YOUNG@example.com or 702.555.7111; card 4121-4193-4685-1593")).toEqual([
      { kind: "rule", rule: "email", inData: true },
      { kind: "rule", rule: "phone", inData: true },
      { kind: "rule", rule: "card", inData: true },
    ]);
    expect(sourcesOf("write to made.up@example.org")).toEqual([
      { kind: "rule", rule: "email", inData: false },
    ]);
  });

  it("says nothing about data when there are no documents to check", () => {
    expect(sourcesOf("write to made.up@example.org", [])).toEqual([{ kind: "rule", rule: "email" }]);
  });
});
