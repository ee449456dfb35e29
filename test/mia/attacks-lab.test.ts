import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import type { ScoredText } from "../../src/core/types.js";
import { LocalEngine } from "../../src/local/engine.js";
import { ATTACKS } from "../../src/mia/attacks/index.js";
import { rocAuc } from "../../src/mia/metrics.js";
import { perturb } from "../../src/mia/perturb.js";
import type { AttackInput } from "../../src/mia/types.js";
import { describeLab, labPath } from "../helpers/lab.js";

// Kept small (2 cores): 3 + 3 records, their first 120 characters, 1 perturbed copy each.
const PER_SET = 3;
const CHARS = 120;
const COPIES = 1;

const texts = (file: string): string[] =>
  readFileSync(labPath("data", file), "utf8")
    .trim()
    .split("\n")
    .slice(0, PER_SET)
    .map((l) => (JSON.parse(l) as { text: string }).text.slice(0, CHARS));

/** Engine tokens → ScoredText: BOS dropped (no logprob), top-k and moments kept when asked for. */
async function scoreWith(engine: LocalEngine, text: string, full = false): Promise<ScoredText> {
  const toks = (await engine.score(text, full ? { moments: true, topK: 5 } : {})).slice(1);
  return {
    text,
    path: "gguf",
    usage: { promptTokens: toks.length + 1, completionTokens: 0 },
    tokens: toks.map((t) => ({
      token: t.text,
      logprob: t.logprob,
      offset: t.offset,
      ...(t.top && { top: t.top.map((a) => ({ token: a.text, logprob: a.logprob })) }),
      ...(t.moments && { moments: t.moments }),
    })),
  };
}

describeLab("attacks over real teacher-forced scores (overfit target, base reference)", () => {
  let target: LocalEngine;
  let reference: LocalEngine;
  const inputs: { member: boolean; input: AttackInput }[] = [];

  beforeAll(async () => {
    target = await LocalEngine.open({ modelPath: labPath("models/overfit.gguf"), contextSize: 512 });
    reference = await LocalEngine.open({ modelPath: labPath("models/base.gguf"), contextSize: 512 });
    const rng = new Rng(5);
    const all = [
      ...texts("members.jsonl").map((t) => ({ t, member: true })),
      ...texts("nonmembers.jsonl").map((t) => ({ t, member: false })),
    ];
    for (const { t, member } of all) {
      const copies = perturb(t, rng, { copies: COPIES });
      const [tgt, lower, ref, pert, refPert] = await Promise.all([
        scoreWith(target, t, true),
        scoreWith(target, t.toLowerCase()),
        scoreWith(reference, t),
        Promise.all(copies.map((c) => scoreWith(target, c))),
        Promise.all(copies.map((c) => scoreWith(reference, c))),
      ]);
      inputs.push({
        member,
        input: {
          target: tgt,
          lowercase: lower,
          reference: ref,
          perturbed: pert,
          referencePerturbed: refPert,
        },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await target?.close();
    await reference?.close();
  });

  const aucOf = (id: string): number => {
    const attack = ATTACKS.find((a) => a.id === id)!;
    const score = (member: boolean) =>
      inputs.filter((x) => x.member === member).map((x) => attack.score(x.input) as number);
    return rocAuc(score(true), score(false));
  };

  it("every attack scores every text (no null, no NaN) with exact moments", () => {
    expect(inputs).toHaveLength(2 * PER_SET);
    for (const a of ATTACKS)
      for (const { input } of inputs) {
        const r = a.scoreDetailed(input);
        expect(r, a.id).not.toBeNull();
        expect(r?.approximate, a.id).toBe(false);
      }
  });

  it.each(["loss", "zlib", "min-k", "min-k-plus-plus", "reference"])(
    "%s separates the overfit model's members (AUC ≥ 0.9 on 3 + 3)",
    (id) => {
      expect(aucOf(id), `${id} AUC`).toBeGreaterThanOrEqual(0.9);
    },
  );

  it("reports every AUC", () => {
    const aucs = Object.fromEntries(ATTACKS.map((a) => [a.id, aucOf(a.id)]));
    expect(Object.keys(aucs)).toHaveLength(ATTACKS.length);
    process.stdout.write(`attack AUCs (overfit, 3 + 3): ${JSON.stringify(aucs)}\n`);
  });

  it("perturbation attacks point the right way (AUC > 0.5)", () => {
    for (const id of ["neighbour", "pv", "spv"]) expect(aucOf(id), id).toBeGreaterThan(0.5);
  });

  it("Min-K%++ from top-5 alone is flagged approximate", () => {
    const { target: t } = inputs[0]!.input;
    const topOnly: ScoredText = { ...t, tokens: t.tokens.map(({ moments: _m, ...rest }) => rest) };
    const r = ATTACKS.find((a) => a.id === "min-k-plus-plus")!.scoreDetailed({ target: topOnly });
    expect(r?.approximate).toBe(true);
  });
});
