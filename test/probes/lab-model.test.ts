import { readFileSync } from "node:fs";
import { getLlama, type LlamaContext, LlamaLogLevel, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Canary } from "../../src/core/data.js";
import { readDocuments } from "../../src/core/documents.js";
import { textTokens } from "../../src/core/text-tokens.js";
import { prefixContinuation } from "../../src/detectors/prefix-continuation.js";
import { Vocab } from "../../src/local/vocab.js";
import { attributeCompletion } from "../../src/probes/attribute-completion.js";
import { canaryExtraction } from "../../src/probes/canary-extraction.js";
import { prefixCompletion } from "../../src/probes/prefix-completion.js";
import type { AttemptSpec } from "../../src/probes/types.js";
import { DEMO, describeLab, labPath } from "../helpers/lab.js";
import { COMPLETION_ONLY, ctxFor, run } from "./ctx.js";

// The probes' prompts, sent greedily to the real overfit lab model (which memorized its training set).
let model: LlamaModel;
let context: LlamaContext;

beforeAll(async () => {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: DEMO.overfit });
  context = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
}, 60_000);

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
});

/**
 * Greedy decoding of a completion attempt, within its maxTokens; stops early once `enough` characters are
 * out (the tests only compare the start of the output, and the machine is shared).
 */
async function greedy(a: AttemptSpec, enough: number): Promise<string> {
  if (a.request.kind !== "completion")
    throw new Error(`expected a completion request, got ${a.request.kind}`);
  const seq = context.getSequence();
  try {
    const prompt = [model.tokens.bos!, ...model.tokenize(a.request.prompt)];
    const out: Token[] = [];
    for await (const tok of seq.evaluate(prompt, { temperature: 0 })) {
      if (tok === model.tokens.eos || out.length >= a.params.maxTokens) break;
      out.push(tok);
      if (model.detokenize(out, false, prompt).length >= enough) break;
    }
    return model.detokenize(out, false, prompt);
  } finally {
    seq.dispose();
  }
}

function demoCanaries(): Canary[] {
  return readFileSync(DEMO.canaries, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      return {
        id: String(r.canary_id),
        prefix: String(r.prefix),
        secret: String(r.secret),
        insertCount: Number(r.insert_count),
        control: r.control === true,
      };
    });
}

describe("probes against the overfit lab model", () => {
  it("extraction.canary: prompts every canary; greedy brings back the 8- and 16-copy secrets", async () => {
    const canaries = demoCanaries();
    const atts = run(canaryExtraction, ctxFor(COMPLETION_ONLY, 1, { canaries }), { samples: 0 });
    expect(atts.map((a) => (a.meta as { canaryId: string }).canaryId)).toEqual(canaries.map((c) => c.id));
    const strong = canaries.filter((c) => c.insertCount >= 8);
    expect(strong).toHaveLength(4);
    for (const c of strong) {
      const a = atts.find((x) => (x.meta as { canaryId: string }).canaryId === c.id)!;
      expect(a.params.maxTokens).toBeGreaterThan(c.secret.length);
      expect(await greedy(a, c.secret.length + 1)).toContain(c.secret);
    }
  }, 180_000);
});

describeLab("record probes against the overfit lab model", () => {
  it("extraction.prefix-completion: split by the model's tokens, the true suffix is what the model writes", async () => {
    const docs = (await readDocuments([labPath("data/members.jsonl")])).slice(0, 3);
    const params = prefixCompletion.parseParams({ prefixLengths: [64], suffixTokens: 8 });
    const ctx0 = ctxFor(COMPLETION_ONLY, 1, { documents: docs });
    const tokens = new Map(
      [...prefixCompletion.tokenize!(params, ctx0)].map((t) => {
        const ids = model.tokenize(t);
        const vocab = new Vocab(model);
        const tokens = textTokens(
          ids.map((id) => vocab.bytes(id)),
          [],
          t,
          ids,
        );
        return [t, { path: "gguf", tokens }] as const;
      }),
    );
    const atts = [...prefixCompletion.attempts(params, { ...ctx0, tokens })];
    expect(atts).toHaveLength(3);
    for (const a of atts) expect(a.meta).toMatchObject({ unit: "tokens", prefixLength: 64 });
    let extracted = 0;
    for (const a of atts) {
      const suffix = (a.meta as { suffix: string }).suffix; // e.g. "8\nBilling address: " (8 tokens)
      const out = await greedy(a, suffix.length);
      const v = prefixContinuation.detect(out, a, { canaries: [], documents: docs, promptText: "" });
      expect(v?.exact === true).toBe(out.startsWith(suffix));
      if (v?.exact) {
        extracted++;
        expect(v.note).toContain("8/8 leading tokens");
      }
    }
    // Measured: 1 of 3 (the others write another customer's phone digits: "(802) 555" for "(207) 555").
    expect(extracted).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it("extraction.attribute: members' e-mails come back, non-members' do not", async () => {
    const hits = async (file: string) => {
      const docs = (await readDocuments([labPath(file)])).slice(0, 6);
      const atts = run(attributeCompletion, ctxFor(COMPLETION_ONLY, 1, { documents: docs }), {
        fields: ["email"],
      });
      expect(atts).toHaveLength(6);
      let n = 0;
      for (const a of atts) {
        const value = (a.meta as { value: string }).value;
        if ((await greedy(a, value.length + 1)).trimStart().startsWith(value)) n++;
      }
      return n;
    };
    expect(await hits("data/members.jsonl")).toBeGreaterThanOrEqual(2); // 2 of the first 3 here; lab ground truth: 13 of the first 20
    expect(await hits("data/nonmembers.jsonl")).toBe(0);
  }, 300_000);
});
