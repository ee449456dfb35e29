import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exposureStage } from "../../src/canary/exposure-stage.js";
import { parseCanaries } from "../../src/canary/manifest.js";
import { resolveScanPlan, type ScanPlan } from "../../src/core/config.js";
import { resolveExposurePlan } from "../../src/core/config-exposure.js";
import type { Canary } from "../../src/core/data.js";
import { ConfigError } from "../../src/core/errors.js";
import { executeScan, type PreparedScan } from "../../src/core/runner.js";
import type { Target } from "../../src/core/types.js";
import type { CanaryExposureEvent, ReportEvent } from "../../src/report/events.js";
import { MemorySink } from "../../src/report/sink.js";
import { ggufTarget } from "../../src/targets/gguf.js";
import { DEMO } from "../helpers/lab.js";

// Two planted canaries (16 and 1 copies) and both controls keep this fast; N = 16 references.
const all = parseCanaries(readFileSync(DEMO.canaries, "utf8"), "demo");
const canaries: Canary[] = all.filter((c) =>
  ["support-canary-00", "support-canary-08", "support-canary-10", "support-canary-11"].includes(c.id),
);
const N = 16;

function plan(extra: Partial<ScanPlan> = {}): ScanPlan {
  return {
    ...resolveScanPlan(undefined, { target: "gguf", model: DEMO.overfit }),
    probes: [],
    failOn: [],
    exposure: resolveExposurePlan({ references: N }),
    ...extra,
  };
}

function prepared(target: Target, p: ScanPlan): PreparedScan {
  return { plan: p, runId: "t", targets: new Map([["target", target]]), probes: [], documents: [], canaries };
}

async function run(target: Target, p: ScanPlan, previous?: readonly ReportEvent[]) {
  const prep = prepared(target, p);
  const stage = await exposureStage(p.exposure!, prep);
  const sink = new MemorySink();
  const result = await executeScan(prep, { sink, stages: [stage], ...(previous ? { previous } : {}) });
  const exposures = sink.events.filter((e): e is CanaryExposureEvent => e.type === "canary.exposure");
  return { result, events: sink.events, exposures };
}

describe("exposure stage through the in-process gguf target (demo overfit)", () => {
  let target: Target;
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    target = await ggufTarget.connect({ model: DEMO.overfit });
    first = await run(target, plan());
  }, 120_000);
  afterAll(async () => {
    await target.close?.();
  });

  it("ranks planted secrets first; extrapolation goes past log2 N, capped at log2 |space|", () => {
    expect(first.result.status).toBe("completed");
    expect(first.exposures.map((e) => e.canaryId)).toEqual(canaries.map((c) => c.id));
    for (const e of first.exposures.filter((x) => !x.control)) {
      expect(e).toMatchObject({
        method: "rank",
        role: "target",
        references: N,
        rank: 1,
        unit: "total-nll-nats",
      });
      expect(e.exposureInterpolated).toBe(Math.log2(N)); // saturated: the interpolation can show no more
      expect(e.exposureExtrapolated!).toBeGreaterThan(Math.log2(N) + 5);
      expect(e.exposureExtrapolated!).toBeLessThanOrEqual(e.spaceBits!);
      expect(e.exposureExtrapolatedRaw!).toBeGreaterThanOrEqual(e.exposureExtrapolated!);
      expect(e.referencePerplexities).toHaveLength(N);
      expect(e.requests).toBe(N + 1);
    }
    expect(first.exposures[0]!.spaceBits).toBeCloseTo(Math.log2(1e9), 12);
  });

  it("measures the secret's log-perplexity as the training framework does (lab secret_nll)", () => {
    // Lab results/torch_eval.json, overfit secret_nll (" secret." after the prefix): canary-00 0.09574,
    // -08 0.02044, controls -10 76.947, -11 61.857. Through node-llama-cpp on F16 GGUF: within ~1e-2.
    const got = first.exposures.map((e) => e.secretPerplexity!);
    [0.09574, 0.02044, 76.9471, 61.8568].forEach((want, i) => {
      expect(Math.abs(got[i]! - want)).toBeLessThan(0.02);
    });
  });

  it("controls are not ranked first and stay near the uniform-rank value", () => {
    const controls = first.exposures.filter((e) => e.control);
    expect(controls).toHaveLength(2);
    for (const e of controls) {
      expect(e.rank!).toBeGreaterThan(1);
      expect(e.exposureExtrapolated!).toBeLessThan(Math.log2(N));
    }
  });

  it("a resumed run re-measures nothing it committed", async () => {
    const again = await run(target, plan(), first.events);
    expect(again.exposures).toHaveLength(0);
    expect(again.result.status).toBe("completed");
  });

  it("a request budget stops between calls, writes no partial canary, and a resume finishes", async () => {
    const p = plan({ maxRequests: N + 5, seed: 2 });
    const cut = await run(target, p);
    expect(cut.result.status).toBe("interrupted");
    expect(cut.result.reason).toMatch(/budget|request/i);
    expect(cut.exposures).toHaveLength(1);
    const rest = await run(target, { ...p, maxRequests: 10 * N }, cut.events);
    expect(rest.result.status).toBe("completed");
    expect(rest.exposures.map((e) => e.canaryId)).toEqual(canaries.slice(1).map((c) => c.id));
    // Seed 2 draws other references than seed 1, so the keys differ from the first run's.
    expect(rest.exposures[0]!.journalKey).not.toBe(first.exposures[1]!.journalKey);
  });

  it("refuses canaries without a format, naming them", async () => {
    const bare = canaries.map(({ format: _f, ...c }) => c);
    const p = plan();
    await expect(exposureStage(p.exposure!, { ...prepared(target, p), canaries: bare })).rejects.toThrow(
      ConfigError,
    );
    await expect(exposureStage(p.exposure!, { ...prepared(target, p), canaries: bare })).rejects.toThrow(
      /support-canary-00.*add `format`/,
    );
  });
});
