import { describe, expect, it } from "vitest";
import { sampling } from "../../src/probes/sampling.js";
import { BOTH, CHAT_ONLY, COMPLETION_ONLY, ctxFor, run } from "./ctx.js";

describe("extraction.sampling", () => {
  it("spreads `samples` round-robin over the prompts, starting with the empty prompt", () => {
    const atts = run(sampling, ctxFor(COMPLETION_ONLY), { samples: 5, prompts: ["", "The"] });
    expect(atts.map((a) => a.key)).toEqual([
      "sample:p0:0",
      "sample:p1:0",
      "sample:p0:1",
      "sample:p1:1",
      "sample:p0:2",
    ]);
    expect(atts[0]!.request).toEqual({ kind: "completion", prompt: "" });
    expect(atts[3]!.meta).toEqual({ kind: "sampling", prompt: "The", sample: 1 });
    expect(atts[0]!.params).toMatchObject({ maxTokens: 256, temperature: 1, topK: 40, logprobs: true });
    expect(run(sampling, ctxFor(BOTH))[0]!.params.logprobs).toBeUndefined();
    expect(run(sampling, ctxFor(BOTH))).toHaveLength(50);
  });

  it("draws one seed per sample: same seed same seeds, another seed other seeds", () => {
    const seeds = (s: number) => run(sampling, ctxFor(COMPLETION_ONLY, s)).map((a) => a.params.seed);
    expect(new Set(seeds(1)).size).toBe(50);
    expect(seeds(1)).toEqual(seeds(1));
    expect(seeds(2)).not.toEqual(seeds(1));
  });

  it("replaces the empty prompt on chat-only targets", () => {
    const [a, b] = run(sampling, ctxFor(CHAT_ONLY), { samples: 2, prompts: ["", "Dear"] });
    expect(a!.request).toEqual({
      kind: "chat",
      messages: [{ role: "user", content: "Write a paragraph of text." }],
    });
    expect(b!.request).toEqual({ kind: "chat", messages: [{ role: "user", content: "Dear" }] });
    expect(a!.meta).toEqual({ kind: "sampling", prompt: "", sample: 0 });
  });

  it("rejects bad params", () => {
    expect(() => sampling.parseParams({ samples: 0 })).toThrow(/samples/);
    expect(() => sampling.parseParams({ temperature: 0 })).toThrow(/temperature/);
    expect(() => sampling.parseParams({ gen: { topP: 2 } })).toThrow(/gen\.topP/);
  });
});
