/**
 * A real scan through the library (prepare + execute + summary) on the shipped demo models: documents made
 * of the demo canaries' sentences, split by the gguf target's own tokenizer, target (overfit) against
 * control (base) with the same seed.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveScanPlan, validateConfig } from "../../src/core/config.js";
import { closeTargets, prepareScan } from "../../src/core/prepare.js";
import { executeScan } from "../../src/core/runner.js";
import type { AttemptEvent } from "../../src/report/events.js";
import { MemorySink } from "../../src/report/sink.js";
import { summarize } from "../../src/report/summary.js";
import { DEMO } from "../helpers/lab.js";

let dir: string;
const sink = new MemorySink();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "memscan-scan-extraction-"));
  const lines = (await readFile(DEMO.canaries, "utf8")).trim().split("\n");
  const docs = lines.map((l) => {
    const c = JSON.parse(l) as { canary_id: string; text: string };
    return JSON.stringify({ id: `doc-${c.canary_id}`, text: c.text });
  });
  await writeFile(join(dir, "sentences.jsonl"), `${docs.join("\n")}\n`);
  const file = validateConfig({
    target: { family: "gguf", model: DEMO.overfit },
    control: { family: "gguf", model: DEMO.base },
    documents: "sentences.jsonl",
    probes: [
      {
        id: "extraction.prefix-completion",
        params: { prefixLengths: [10], minSuffixTokens: 4 },
      },
    ],
    seed: 3,
  });
  const plan = resolveScanPlan({ ...file, baseDir: dir }, {});
  const prepared = await prepareScan(plan);
  try {
    await executeScan(prepared, { sink });
  } finally {
    await closeTargets(prepared.targets);
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a scan with the prefix probe on the demo models", () => {
  it("splits documents by each target's own tokens and records the unit, tokenizer, set and mode", () => {
    const atts = sink.events.filter((e): e is AttemptEvent => e.type === "attempt");
    expect(atts.length).toBe(24);
    for (const a of atts) {
      expect(a.status).toBe("ok");
      expect(a.meta).toMatchObject({
        kind: "prefix",
        unit: "tokens",
        prefixLength: 10,
        tokenizer: "gguf",
        source: "sentences.jsonl",
        via: "completion",
      });
      expect(a.attempt).toMatch(/^prefix:doc-support-canary-\d\d:t10$/);
    }
  });

  it("summarises extraction per set and prefix length; the fine-tune extracts, its base does not", () => {
    const s = summarize(sink.events);
    const [t] = s.target.extraction.documents;
    const [c] = s.control!.extraction.documents;
    expect(t).toMatchObject({ source: "sentences.jsonl", unit: "tokens", prefixLength: 10, attempts: 12 });
    expect(c).toMatchObject({ attempts: 12, extracted: 0 });
    // The sentence after ten tokens runs into the secret. Measured: 8 of 12 verbatim, one near (d 0.024).
    expect(t!.extracted).toBeGreaterThanOrEqual(6);
    expect(t!.near).toBeGreaterThanOrEqual(1);
    const leaked = s.target.findings.filter((f) => f.kind === "document" && f.exact);
    expect(leaked).toHaveLength(t!.extracted);
    expect(leaked.every((f) => !f.controlReproduced && f.controlCount === 0)).toBe(true);
  });
});

describe("a scan with untargeted sampling on the demo models", () => {
  const sampled = new MemorySink();
  beforeAll(async () => {
    const file = validateConfig({
      target: { family: "gguf", model: DEMO.overfit },
      control: { family: "gguf", model: DEMO.base },
      canaries: DEMO.canaries,
      probes: [{ id: "extraction.sampling", params: { samples: 8, maxTokens: 40 } }],
      seed: 5,
    });
    const prepared = await prepareScan(resolveScanPlan({ ...file, baseDir: dir }, {}));
    try {
      await executeScan(prepared, { sink: sampled });
    } finally {
      await closeTargets(prepared.targets);
    }
  }, 300_000);

  it("records each sample's signals, with the ratio to the control that scored it", () => {
    const atts = sampled.events.filter((e): e is AttemptEvent => e.type === "attempt");
    const target = atts.filter((a) => a.role === "target");
    expect(target).toHaveLength(8);
    for (const a of target) {
      expect(a.signals?.zlibBytes).toBeGreaterThan(0);
      expect(a.signals?.perplexity).toBeGreaterThanOrEqual(1);
      expect(a.signals?.referenceRatio).toBeGreaterThan(0);
    }
    // the control has no reference of its own: perplexity and zlib only
    for (const a of atts.filter((x) => x.role === "control"))
      expect(a.signals?.referenceRatio).toBeUndefined();
  });

  it("ranks the target's samples by the reference ratio, most suspicious first", () => {
    const s = summarize(sampled.events);
    const r = s.target.extraction.sampling!;
    expect(r).toMatchObject({ by: "reference", samples: 8 });
    const ratios = r.top.map((x) => x.referenceRatio!);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
    // the overfit model writes support tickets the base model finds unlikely: ratios well above 1
    expect(ratios[0]).toBeGreaterThan(1.5);
    expect(s.control!.extraction.sampling?.by).toBe("zlib");
  });
});
