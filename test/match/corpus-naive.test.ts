import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Document } from "../../src/core/data.js";
import { createNaiveCorpusMatcher } from "../../src/match/corpus-naive.js";
import { DEMO } from "../helpers/lab.js";

const DOC_A =
  "Ticket LP-650042 | Priority: Low | Channel: web form\nCustomer: Sandra Ruiz <ruiz.sandra24@post.example.org>, " +
  "phone (608) 555-7562\nBilling address: 7077 Hawthorn Circle, Austin, TX 78736";
const DOC_B = "The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill.";
const DOCS: Document[] = [
  { id: "a", text: DOC_A },
  { id: "b", text: DOC_B },
];

describe("createNaiveCorpusMatcher", () => {
  const matcher = createNaiveCorpusMatcher(DOCS);

  it("finds a maximal verbatim span with document offset and raw output span", () => {
    const copied = DOC_A.slice(20, 120);
    const output = `Sure! Here it is: ${copied}!! and that's all.`;
    const found = matcher.find(output);
    const exact = found.filter((m) => m.exact);
    expect(exact).toHaveLength(1);
    const m = exact[0]!;
    expect(m.docId).toBe("a");
    expect(output.slice(m.start, m.end)).toBe(copied);
    expect(m.docOffset).toBe(20);
    expect(m.length).toBe(100);
    expect(m.distance).toBe(0);
  });

  it("matches through case, whitespace and homoglyph changes (normalised), mapping back to raw text", () => {
    const output = `>> THE QUICK  BROWN FOX JUMPS\nOVER THE L\u0430ZY DOG while the cat`;
    const m = matcher.find(output).find((x) => x.exact);
    expect(m?.docId).toBe("b");
    expect(output.slice(m!.start, m!.end)).toBe(output.slice(3));
  });

  it("reports near-verbatim spans separately, with their distance", () => {
    const edited = DOC_B.replace("lazy", "lazzy").replace("warm", "wurm");
    const found = matcher.find(edited);
    expect(found.some((m) => m.exact)).toBe(false);
    const near = found.find((m) => !m.exact);
    expect(near?.docId).toBe("b");
    expect(near!.distance).toBeGreaterThan(0);
    expect(near!.distance).toBeLessThanOrEqual(0.1);
    expect(near!.end - near!.start).toBeGreaterThanOrEqual(80);
  });

  it("ignores short overlaps and unrelated text", () => {
    expect(matcher.find("the quick brown fox is a common phrase")).toEqual([]);
    expect(matcher.find("")).toEqual([]);
    expect(createNaiveCorpusMatcher([]).find(DOC_B)).toEqual([]);
  });

  it("honours minLength", () => {
    const short = createNaiveCorpusMatcher(DOCS, { minLength: 20 });
    expect(short.find("xx the quick brown fox jumps yy").map((m) => m.docId)).toEqual(["b"]);
  });

  it("finds a lab canary sentence inside a long generation", () => {
    const docs = readFileSync(DEMO.canaries, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { canary_id: string; text: string })
      .map((c) => ({ id: c.canary_id, text: c.text }));
    const lab = createNaiveCorpusMatcher(docs, { minLength: 40 });
    const target = docs[5]!;
    const output = `${"filler words here. ".repeat(50)}${target.text}${" and more".repeat(20)}`;
    const m = lab.find(output).find((x) => x.exact);
    expect(m?.docId).toBe(target.id);
    expect(output.slice(m!.start, m!.end)).toBe(target.text);
  });
});
