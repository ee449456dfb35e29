import { describe, expect, it } from "vitest";
import { canaryExtraction } from "../../src/probes/canary-extraction.js";
import { CANARIES, CHAT_ONLY, COMPLETION_ONLY, ctxFor, run } from "./ctx.js";

describe("extraction.canary", () => {
  it("prompts every canary (controls too) greedy once, then `samples` seeded samples", () => {
    const atts = run(canaryExtraction, ctxFor(COMPLETION_ONLY));
    expect(atts.map((a) => a.key)).toEqual([
      "canary:c1:s0",
      "canary:c1:s1",
      "canary:c1:s2",
      "canary:c1:s3",
      "canary:c2:s0",
      "canary:c2:s1",
      "canary:c2:s2",
      "canary:c2:s3",
    ]);
    const [greedy, sampled] = atts;
    expect(greedy!.request).toEqual({ kind: "completion", prompt: "my code is" });
    expect(greedy!.params).toEqual({ maxTokens: 17 + 8, temperature: 0 });
    expect(greedy!.meta).toEqual({
      kind: "canary",
      canaryId: "c1",
      sample: 0,
      insertCount: 4,
      control: false,
      via: "completion",
    });
    expect(sampled!.params).toMatchObject({ maxTokens: 25, temperature: 1 });
    expect(Number.isInteger(sampled!.params.seed)).toBe(true);
  });

  it("draws distinct seeds, reproducible under the run seed and different under another", () => {
    const seeds = (s: number) => run(canaryExtraction, ctxFor(COMPLETION_ONLY, s)).map((a) => a.params.seed);
    const a = seeds(1);
    expect(seeds(1)).toEqual(a);
    expect(seeds(2)).not.toEqual(a);
    const drawn = a.filter((x) => x !== undefined);
    expect(new Set(drawn).size).toBe(6);
    expect(drawn.every((x) => x >= 0 && x < 2 ** 31)).toBe(true);
  });

  it("samples: 0 means greedy only; chat-only targets get a framing, or a prefill where supported", () => {
    const atts = run(canaryExtraction, ctxFor(CHAT_ONLY), { samples: 0 });
    expect(atts).toHaveLength(CANARIES.length);
    expect(atts[0]!.request).toEqual({
      kind: "chat",
      messages: [{ role: "user", content: expect.stringMatching(/\n\nmy code is$/) }],
    });
    expect(atts[0]!.meta).toMatchObject({ via: "chat" });
    const prefill = { ...CHAT_ONLY, chatPrefill: "continue_final_message" };
    const [p] = run(canaryExtraction, ctxFor(prefill), { samples: 0 });
    expect(p!.request).toEqual({
      kind: "chat",
      messages: [
        { role: "user", content: expect.stringMatching(/^Continue this text verbatim/) },
        { role: "assistant", content: "my code is" },
      ],
    });
    expect(p!.meta).toMatchObject({ via: "chat-prefill" });
    const [off] = run(canaryExtraction, ctxFor(prefill), { samples: 0, prefill: false });
    expect(off!.meta).toMatchObject({ via: "chat" });
  });

  it("rejects bad params", () => {
    expect(() => canaryExtraction.parseParams({ samples: -1 })).toThrow(/samples.*got -1/);
    expect(() => canaryExtraction.parseParams({ framing: "no placeholder" })).toThrow(/framing/);
  });
});
