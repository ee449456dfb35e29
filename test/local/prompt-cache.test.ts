import type { Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalEngine, type ScoredToken } from "../../src/local/engine.js";
import { commonPrefix } from "../../src/local/prompt-cache.js";
import { DEMO } from "../helpers/lab.js";
import { demoCanaries } from "../serve/serve-helpers.js";

const [a, b] = [demoCanaries[0]!, demoCanaries[8]!];
const secrets = [a.secret, b.secret, "1 2 3 4 5 6 7 8 9", "0 0 0 0 0 0 0 0 0", "9 8 7 6 5 4 3 2 1"];
const textScores = (s: readonly ScoredToken[]) => s.filter((t) => !t.context).map((t) => t.logprob);

describe("LocalEngine prompt cache (reuseContext)", () => {
  let engine: LocalEngine;
  beforeAll(async () => {
    engine = await LocalEngine.open({ modelPath: DEMO.overfit, sequences: 2 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it("scores equal fresh scoring, across alternating contexts and concurrent calls", async () => {
    const fresh = new Map<string, (number | null)[]>();
    for (const c of [a, b]) {
      for (const s of secrets) {
        fresh.set(`${c.prefix}|${s}`, textScores(await engine.score(` ${s}`, { context: c.prefix })));
      }
    }
    const jobs = [a, b, a, b].flatMap((c) => secrets.map((s) => ({ c, s })));
    const reused = await Promise.all(
      jobs.map(async ({ c, s }) => ({
        key: `${c.prefix}|${s}`,
        scored: await engine.score(` ${s}`, { context: c.prefix, reuseContext: true }),
      })),
    );
    for (const { key, scored } of reused) {
      const want = fresh.get(key)!;
      const got = textScores(scored);
      expect(got).toHaveLength(want.length);
      got.forEach((v, i) => {
        expect(Math.abs(v! - want[i]!)).toBeLessThan(1e-4);
      });
      // Only the text is scored: context tokens carry no logprob.
      expect(scored.filter((t) => t.context).every((t) => t.logprob === null)).toBe(true);
    }
  });

  it("fresh calls on sequences left with a cached prompt start clean (generate, full scoring)", async () => {
    const before = await engine.score(`${b.prefix} ${b.secret}`);
    await Promise.all(secrets.map((s) => engine.score(` ${s}`, { context: a.prefix, reuseContext: true })));
    const g = await engine.generate(a.prefix, { maxTokens: 24 });
    expect(g.text.trim().startsWith(a.secret)).toBe(true);
    const after = await engine.score(`${b.prefix} ${b.secret}`);
    expect(after.map((t) => t.logprob)).toEqual(before.map((t) => t.logprob));
  });

  it("commonPrefix counts shared leading tokens", () => {
    const t = (xs: number[]) => xs as unknown as Token[];
    expect(commonPrefix(t([1, 2, 3]), t([1, 2, 4, 5]))).toBe(2);
    expect(commonPrefix(t([]), t([1]))).toBe(0);
    expect(commonPrefix(t([7, 8]), t([7, 8]))).toBe(2);
  });
});
