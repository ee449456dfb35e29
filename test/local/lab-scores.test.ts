import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LocalEngine } from "../../src/local/engine.js";
import { describeLab, labPath } from "../helpers/lab.js";

interface Rec {
  record_id: string;
  text: string;
}
const readJsonl = (p: string): Rec[] =>
  readFileSync(p, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Rec);

/** Mean log-prob of the text tokens, scored as `<s>` + text, BOS position excluded, no EOS (the lab's way). */
async function meanLogprob(engine: LocalEngine, text: string): Promise<{ mean: number; n: number }> {
  const lps = (await engine.score(text)).flatMap((t) => (t.logprob === null ? [] : [t.logprob]));
  return { mean: lps.reduce((a, b) => a + b, 0) / lps.length, n: lps.length };
}

describeLab("engine scores against the lab's ground truth", () => {
  const members = readJsonl(labPath("data/members.jsonl"));
  const nonmembers = readJsonl(labPath("data/nonmembers.jsonl"));

  describeLab("mild", () => {
    let engine: LocalEngine;
    beforeAll(async () => {
      engine = await LocalEngine.open({ modelPath: labPath("models/mild.gguf") });
    });
    afterAll(() => engine.close());

    it("per-record mean log-probs match results/loss_gguf_mild.json to 1e-3 (20 records)", async () => {
      const ref = JSON.parse(readFileSync(labPath("results/loss_gguf_mild.json"), "utf8")) as {
        rows: Array<{ record_id: string; n: number; meanLogprob: number }>;
      };
      const byId = new Map([...members, ...nonmembers].map((r) => [r.record_id, r.text]));
      const rows = [...ref.rows.slice(0, 10), ...ref.rows.slice(-10)];
      const got = await Promise.all(rows.map((row) => meanLogprob(engine, byId.get(row.record_id)!)));
      rows.forEach((row, i) => {
        expect(got[i]!.n).toBe(row.n);
        expect(Math.abs(got[i]!.mean - row.meanLogprob)).toBeLessThan(1e-3);
      });
    });
  });

  describeLab("overfit", () => {
    let engine: LocalEngine;
    beforeAll(async () => {
      engine = await LocalEngine.open({ modelPath: labPath("models/overfit.gguf") });
    });
    afterAll(() => engine.close());

    it("members score near -0.33 and non-members near -2.0 (10 + 10 records)", async () => {
      const avg = async (recs: Rec[]) => {
        const ms = await Promise.all(recs.map((r) => meanLogprob(engine, r.text)));
        return ms.reduce((a, m) => a + m.mean, 0) / ms.length;
      };
      const m = await avg(members.slice(0, 10));
      const n = await avg(nonmembers.slice(0, 10));
      expect(m).toBeGreaterThan(-0.6);
      expect(m).toBeLessThan(-0.15);
      expect(n).toBeGreaterThan(-2.5);
      expect(n).toBeLessThan(-1.5);
    });
  });
});
