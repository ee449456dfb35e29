import { describe, expect, it } from "vitest";
import { attributeCompletion, attributeSlots } from "../../src/probes/attribute-completion.js";
import { CHAT_ONLY, COMPLETION_ONLY, ctxFor, DOCS, run } from "./ctx.js";

const REC = DOCS[2]!;

describe("attributeSlots", () => {
  it("keeps selected fields whose value occurs verbatim after some text, in text order", () => {
    const slots = attributeSlots(REC, ["email", "PHONE", "ssn", "name"], 4);
    expect(slots.map((s) => s.field)).toEqual(["name", "email", "phone", "ssn"]);
    expect(slots[1]).toEqual({
      field: "email",
      value: "ada@example.org",
      prompt: "Customer: Ada Lovelace <",
    });
  });

  it("skips values that are absent, too short, or at the very start", () => {
    const doc = {
      id: "x",
      text: "ab12 lives at 1 Main St",
      fields: { code: "ab12", city: "Paris", address: "1 Main St", tiny: "at" },
    };
    expect(attributeSlots(doc, ["*"], 4).map((s) => s.field)).toEqual(["address"]);
    expect(attributeSlots(doc, ["*"], 2).map((s) => s.field)).toEqual(["tiny", "address"]);
  });
});

describe("extraction.attribute", () => {
  it("hides each default PII field of documents with fields, greedy", () => {
    const atts = run(attributeCompletion, ctxFor(COMPLETION_ONLY));
    expect(atts.map((a) => a.key)).toEqual(["attr:rec-1:email", "attr:rec-1:phone", "attr:rec-1:ssn"]);
    const ssn = atts[2]!;
    expect(ssn.request).toEqual({
      kind: "completion",
      prompt: REC.text.slice(0, REC.text.indexOf("123-45")).trimEnd(),
    });
    expect(REC.text.slice(0, REC.text.indexOf("123-45"))).toMatch(/SSN: $/);
    expect(ssn.meta).toEqual({
      kind: "attribute",
      docId: "rec-1",
      field: "ssn",
      value: "123-45-6789",
      via: "completion",
    });
    expect(ssn.params).toEqual({ maxTokens: 11 + 8, temperature: 0 });
  });

  it("uses a framing on chat-only targets and accepts an explicit field list", () => {
    const atts = run(attributeCompletion, ctxFor(CHAT_ONLY), { fields: ["name"] });
    expect(atts.map((a) => a.key)).toEqual(["attr:rec-1:name"]);
    expect(atts[0]!.request.kind).toBe("chat");
  });

  it("rejects an empty field list", () => {
    expect(() => attributeCompletion.parseParams({ fields: [] })).toThrow(/fields/);
  });
});
