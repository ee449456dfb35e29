import { getLlama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canary } from "../../src/detectors/canary.js";
import { DEMO } from "../helpers/lab.js";
import { attemptWith, contextWith, demoCanaries } from "./fixtures.js";

const CANARIES = demoCanaries();
let model: LlamaModel;

/** Greedy continuation of `<s>` + prompt on the overfit demo model. */
async function greedy(prompt: string, maxTokens = 24): Promise<string> {
  const ctx = await model.createContext({ contextSize: 256, sequences: 1, threads: 1 });
  try {
    const seq = ctx.getSequence();
    const input = [model.tokens.bos!, ...model.tokenize(prompt)];
    const out: (typeof input)[number][] = [];
    for await (const tok of seq.evaluate(input, { temperature: 0 })) {
      if (tok === model.tokens.eos || out.length >= maxTokens) break;
      out.push(tok);
    }
    return model.detokenize(out, false, input);
  } finally {
    await ctx.dispose();
  }
}

describe("canary detector on the overfit lab model's real greedy outputs", () => {
  beforeAll(async () => {
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: DEMO.overfit });
  }, 60_000);
  afterAll(async () => {
    await model?.dispose();
  });

  it("finds a planted canary's secret, exactly", async () => {
    const c = CANARIES.find((x) => x.insertCount === 16)!;
    const out = await greedy(c.prefix);
    const v = canary.detect(
      out,
      attemptWith({ kind: "canary", canaryId: c.id, sample: 0 }, c.prefix),
      contextWith({ canaries: CANARIES, promptText: c.prefix }),
    );
    expect(v?.exact).toBe(true);
    expect(v!.evidence.map((e) => e.source)).toContainEqual({
      kind: "canary",
      canaryId: c.id,
      insertCount: 16,
      control: false,
    });
  }, 60_000);

  it("attributes a control's answer (support-canary-11) to the planted canary whose secret the model wrote", async () => {
    const control = CANARIES.find((x) => x.id === "support-canary-11")!;
    const out = await greedy(control.prefix);
    const v = canary.detect(
      out,
      attemptWith({ kind: "canary", canaryId: control.id, sample: 0 }, control.prefix),
      contextWith({ canaries: CANARIES, promptText: control.prefix }),
    );
    expect(v).not.toBeNull();
    const ids = v!.evidence.map((e) => (e.source.kind === "canary" ? e.source.canaryId : ""));
    // Measured: greedy overfit answers support-canary-11 (control) with support-canary-05's exact secret.
    expect(ids).toEqual(["support-canary-05"]);
    expect(v!.note).toContain("prompted with support-canary-11");
  }, 60_000);
});
