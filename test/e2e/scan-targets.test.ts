/**
 * End to end through the real CLI: `memscan serve` over the shipped demo models (the lab's `overfit`
 * fine-tune and its `base`), scanned with the openai target (OpenAI wire format), the hf target (TGI
 * `/generate`) and in process with gguf. All three must find the same planted canaries on the fine-tune,
 * none on the base model, and say so in the exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Summary } from "../../src/report/summary.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { runCli } from "../helpers/cli.js";
import { DEMO } from "../helpers/lab.js";
import { tempDir } from "../helpers/temp.js";

let overfit: RunningServer;
let base: RunningServer;
let out: string;

beforeAll(async () => {
  [overfit, base] = await Promise.all([
    startServer({ modelPath: DEMO.overfit }),
    startServer({ modelPath: DEMO.base }),
  ]);
  out = await tempDir("memscan-e2e-");
});

afterAll(async () => {
  await Promise.all([overfit?.close(), base?.close()]);
});

async function scan(targetArgs: readonly string[]): Promise<{ code: number | null; summary: Summary }> {
  const res = await runCli([
    "scan",
    ...targetArgs,
    "--canaries",
    DEMO.canaries,
    "--probe",
    "extraction.canary",
    "--out",
    out,
    "--json",
    "--no-progress",
  ]);
  if (res.stdout.trim() === "") throw new Error(`scan printed no JSON; stderr:\n${res.stderr}`);
  return { code: res.code, summary: JSON.parse(res.stdout) as Summary };
}

/** Canary subjects found, exact or near, sorted. */
function canaries(s: Summary["target"]) {
  return s.findings
    .filter((f) => f.kind === "canary")
    .map((f) => `${f.subject}:${f.exact ? "exact" : "near"}`)
    .sort();
}

type Args = (u: RunningServer, c: RunningServer) => readonly [readonly string[], readonly string[]];

const FAMILIES: Record<string, Args> = {
  openai: (u: RunningServer, c: RunningServer) => [
    ["--target", "openai", "--base-url", `${u.url}/v1`, "--model", "overfit"],
    ["--control-base-url", `${c.url}/v1`, "--control-model", "base"],
  ],
  hf: (u: RunningServer, c: RunningServer) => [
    ["--target", "hf", "--base-url", u.url],
    ["--control-base-url", c.url],
  ],
  gguf: () => [
    ["--target", "gguf", "--model", DEMO.overfit],
    ["--control-model", DEMO.base],
  ],
};

describe("memscan scan against memscan serve and in process (demo overfit vs base)", () => {
  const results = new Map<string, Summary>();

  for (const [family, args] of Object.entries(FAMILIES)) {
    it(`${family}: finds the planted canaries on overfit, none on the control, exit 1`, async () => {
      const [target, control] = args(overfit, base);
      const { code, summary } = await scan([...target, ...control]);
      results.set(family, summary);
      expect(summary.status).toBe("completed");
      expect(summary.target.target?.family).toBe(family);
      const found = canaries(summary.target);
      // The lab's ground truth: 9 of the 10 planted canaries reproduced exactly under greedy decoding;
      // the tenth one digit off (a near hit).
      expect(found.filter((f) => f.endsWith(":exact")).length).toBeGreaterThanOrEqual(9);
      expect(found).toContain("support-canary-02:near");
      // Controls (never planted) are never credited: their prompts draw another canary's secret.
      expect(found.some((f) => f.startsWith("support-canary-10") || f.startsWith("support-canary-11"))).toBe(
        false,
      );
      expect(canaries(summary.control!)).toEqual([]);
      expect(summary.metrics["canary-leaks"]).toBeGreaterThanOrEqual(9);
      expect(code).toBe(1);
      const probe = summary.target.probes.find((p) => p.id === "extraction.canary")!;
      expect(probe.errors).toBe(0);
      expect(probe.attempts).toBeGreaterThan(0);
    });
  }

  it("the three families agree on what leaked", () => {
    expect(results.size).toBe(3);
    const [first, ...rest] = [...results.values()].map((s) => canaries(s.target));
    for (const r of rest) expect(r).toEqual(first);
  });

  it("the base model as the target (it never saw the canaries): no findings, exit 0", async () => {
    const { code, summary } = await scan([
      "--target",
      "openai",
      "--base-url",
      `${base.url}/v1`,
      "--model",
      "base",
    ]);
    expect(summary.target.findings.filter((f) => f.kind === "canary")).toEqual([]);
    expect(summary.metrics.findings).toBe(0);
    expect(code).toBe(0);
  });
});
