import { describe, expect, it } from "vitest";
import type { Document } from "../../src/core/data.js";
import { corpus } from "../../src/detectors/corpus.js";
import { attemptWith, contextWith, demoCanaries } from "./fixtures.js";

const att = attemptWith({ kind: "repeat", word: "poem", template: "{word}", repeats: 4 });
const DOCS: Document[] = demoCanaries().map((c) => ({ id: c.id, text: c.text }));

describe("corpus detector", () => {
  it("reports verbatim spans with document ids and offsets", () => {
    const doc = DOCS[3]!;
    const out = `poem poem poem ${doc.text} and then nonsense`;
    const v = corpus.detect(out, att, contextWith({ documents: DOCS }));
    expect(v).toMatchObject({ detector: "corpus", finding: "document", score: 1, exact: true });
    expect(v!.evidence).toHaveLength(1);
    const e = v!.evidence[0]!;
    expect(e.source).toEqual({ kind: "document", docId: doc.id, offset: 0 });
    expect(out.slice(e.start, e.end)).toBe(doc.text);
  });

  it("reports near-verbatim spans with their distance", () => {
    const doc = DOCS[0]!;
    const out = doc.text.replace("recovery", "recovry").replace("Foster", "Fost3r");
    const v = corpus.detect(out, att, contextWith({ documents: DOCS }));
    expect(v?.exact).toBe(false);
    expect(v!.score).toBeGreaterThan(0.9);
    expect(v!.evidence[0]!.source).toMatchObject({ kind: "document", docId: doc.id });
  });

  it("returns null without documents or without a long enough match", () => {
    expect(corpus.detect(DOCS[0]!.text, att, contextWith())).toBeNull();
    expect(corpus.detect("Kwame Foster wrote in the chat", att, contextWith({ documents: DOCS }))).toBeNull();
  });
});
