import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exposureStage } from "../../src/canary/exposure-stage.js";
import { parseCanaries } from "../../src/canary/manifest.js";
import { resolveScanPlan, type ScanPlan } from "../../src/core/config.js";
import { resolveExposurePlan } from "../../src/core/config-exposure.js";
import { executeScan, type PreparedScan } from "../../src/core/runner.js";
import type { Target } from "../../src/core/types.js";
import type { CanaryExposureEvent } from "../../src/report/events.js";
import { MemorySink } from "../../src/report/sink.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { openaiTarget } from "../../src/targets/openai.js";
import { DEMO } from "../helpers/lab.js";

const canaries = parseCanaries(readFileSync(DEMO.canaries, "utf8"), "demo").filter((c) =>
  ["support-canary-08", "support-canary-10"].includes(c.id),
);

async function measure(target: Target, exposure: Parameters<typeof resolveExposurePlan>[0]) {
  const plan: ScanPlan = {
    ...resolveScanPlan(undefined, { target: "gguf", model: DEMO.overfit }),
    probes: [],
    exposure: resolveExposurePlan(exposure),
  };
  const prep: PreparedScan = {
    plan,
    runId: "t",
    targets: new Map([["target", target]]),
    probes: [],
    documents: [],
    canaries,
  };
  const sink = new MemorySink();
  const result = await executeScan(prep, { sink, stages: [await exposureStage(plan.exposure!, prep)] });
  expect(result.status).toBe("completed");
  return sink.events.filter((e): e is CanaryExposureEvent => e.type === "canary.exposure");
}

describe("exposure through memscan serve (OpenAI wire format)", () => {
  let full: RunningServer;
  let bare: RunningServer;
  let local: Target;
  beforeAll(async () => {
    [full, bare, local] = await Promise.all([
      startServer({ modelPath: DEMO.overfit }),
      startServer({ modelPath: DEMO.overfit, features: { promptLogprobs: false } }),
      ggufTarget.connect({ model: DEMO.overfit }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([full?.close(), bare?.close(), local?.close?.()]);
  });

  it("rank method over HTTP (completions echo) gives the in-process perplexities and ranks", async () => {
    const http = await openaiTarget.connect({ model: "overfit", baseUrl: `${full.url}/v1` });
    const [viaHttp, inProcess] = [
      await measure(http, { references: 8 }),
      await measure(local, { references: 8 }),
    ];
    expect(viaHttp.map((e) => e.rank)).toEqual(inProcess.map((e) => e.rank));
    viaHttp.forEach((e, i) => {
      expect(e.method).toBe("rank");
      expect(Math.abs(e.secretPerplexity! - inProcess[i]!.secretPerplexity!)).toBeLessThan(1e-3);
      e.referencePerplexities!.forEach((v, j) => {
        expect(Math.abs(v - inProcess[i]!.referencePerplexities![j]!)).toBeLessThan(1e-3);
      });
    });
  });

  it("without prompt logprobs: method generation, emission rate and bound, never a rank", async () => {
    const t = await openaiTarget.connect({ model: "overfit", baseUrl: `${bare.url}/v1` });
    expect(t.info.capabilities.promptLogprobs).toBe(false);
    const [planted, control] = await measure(t, { samples: 4 });
    for (const e of [planted!, control!]) {
      expect(e).toMatchObject({ method: "generation", rank: null, references: 0 });
      expect(e.exposureInterpolated).toBeNull();
      expect(e.exposureExtrapolated).toBeNull();
      expect(e.emission!.samples).toBe(4);
      expect(e.emission!.upper).toBeGreaterThanOrEqual(e.emission!.rate);
      expect(e.requests).toBe(5); // greedy + 4 samples
    }
    // 16 copies: overfit reproduces the secret greedily (lab ground truth); the control's own secret never.
    expect(planted!.emission!.greedy).toBe(true);
    expect(control!.emission).toMatchObject({ greedy: false, hits: 0 });
    expect(control!.emission!.upper).toBeCloseTo(1 - 0.05 ** (1 / 4), 12);
  });
});
