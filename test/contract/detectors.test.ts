import { describe, expect, it } from "vitest";
import { DETECTORS, getDetector, isDetectorId } from "../../src/detectors/index.js";
import { DETECTOR_IDS, type Detector, type DetectorContext } from "../../src/detectors/types.js";
import type { AttemptMeta } from "../../src/probes/types.js";
import { ALL_METAS, attemptWith, contextWith, demoCanaries } from "../detectors/fixtures.js";

const canaries = demoCanaries();
const documents = canaries.map((c) => ({ id: c.id, text: c.text }));
const full = contextWith({ canaries, documents, promptText: canaries[0]!.prefix });

const MB = 1024 * 1024;
const HUGE_INPUTS: Record<string, string> = {
  "1 MB of mixed text": `${canaries[0]!.text} poem `.repeat(Math.ceil(MB / 90)).slice(0, MB),
  "1 MB of digits": "4".repeat(MB),
};
const ODD_INPUTS: Record<string, string> = {
  empty: "",
  whitespace: " \n\t ",
  "lone surrogates": "\ud800 poem \udfff poem poem 4 4 3 7 0 2 5 7 7 \ud83d",
  "mixed script": "poem пoem ποεμ 詩 ٤٤٣ ４４３７０２５７７ a@b.co \u200b\u202e evil \u0301",
  "combining marks only": "\u0301\u0302\u0303",
};

describe("detector registry", () => {
  it("has unique ids, all in DETECTOR_IDS, covering every id", () => {
    const ids = DETECTORS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(DETECTOR_IDS).toContain(id);
    expect([...ids].sort()).toEqual([...DETECTOR_IDS].sort());
  });

  it("looks detectors up by id and explains unknown ids", () => {
    for (const d of DETECTORS) expect(getDetector(d.id)).toBe(d);
    expect(isDetectorId("canary")).toBe(true);
    expect(isDetectorId("nope")).toBe(false);
    expect(() => getDetector("nope")).toThrow(/Expected a detector id \(canary, .*\), got "nope"/);
  });

  it("every detector has a summary", () => {
    for (const d of DETECTORS) expect(d.summary.length).toBeGreaterThan(10);
  });
});

function checkVerdict(detector: Detector, output: string, meta: AttemptMeta, ctx: DetectorContext): void {
  const v = detector.detect(output, attemptWith(meta, ctx.promptText), ctx);
  if (v === null) return;
  expect(v.detector).toBe(detector.id);
  expect(v.score).toBeGreaterThanOrEqual(0);
  expect(v.score).toBeLessThanOrEqual(1);
  for (const e of v.evidence) {
    expect(0 <= e.start && e.start <= e.end && e.end <= output.length).toBe(true);
    expect(e.text).toBe(output.slice(e.start, e.end));
    if (e.distance !== undefined) expect(e.distance >= 0 && e.distance <= 1).toBe(true);
  }
}

describe.each(DETECTORS.map((d) => [d.id, d] as const))("detector %s", (_id, detector) => {
  it.each(Object.entries(ODD_INPUTS))("never throws and stays in [0, 1] on %s input", (_name, output) => {
    for (const meta of ALL_METAS) {
      for (const ctx of [contextWith(), full, contextWith({ promptText: output })])
        checkVerdict(detector, output, meta, ctx);
    }
  });

  // Meta-independent detectors make the same work for every kind; three kinds cover the branches.
  const kinds = ALL_METAS.filter((m) => m.kind === "repeat" || m.kind === "prefix" || m.kind === "attribute");
  it.each(Object.entries(HUGE_INPUTS))("never throws and stays in [0, 1] on %s", (_name, output) => {
    for (const meta of kinds) checkVerdict(detector, output, meta, full);
  });
});
