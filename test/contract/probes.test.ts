import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { DETECTOR_IDS } from "../../src/detectors/types.js";
import { getProbe, PROBES } from "../../src/probes/index.js";
import type { Probe } from "../../src/probes/types.js";
import { BOTH, CHAT_ONLY, COMPLETION_ONLY, ctxFor } from "../probes/ctx.js";

const probes = PROBES as readonly Probe<unknown>[];

describe("probe registry", () => {
  it("has unique, well-formed ids and getProbe finds each", () => {
    const ids = probes.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(getProbe(id).id).toBe(id);
    }
  });

  it("getProbe on an unknown id lists the known ids", () => {
    expect(() => getProbe("divergence.nope")).toThrow(ConfigError);
    expect(() => getProbe("divergence.nope")).toThrow(/extraction\.canary/);
  });
});

describe.each(probes.map((p) => [p.id, p] as const))("probe %s", (_id, probe) => {
  it("declares a summary, references, known detectors and non-empty requirements", () => {
    expect(probe.summary.length).toBeGreaterThan(10);
    expect(probe.references.length).toBeGreaterThan(0);
    expect(probe.detectors.length).toBeGreaterThan(0);
    for (const d of probe.detectors) expect(DETECTOR_IDS).toContain(d);
    expect(probe.requires.length).toBeGreaterThan(0);
  });

  it("parses its own defaults and an empty input to the defaults", () => {
    expect(probe.parseParams(probe.defaults)).toEqual(probe.defaults);
    expect(probe.parseParams(undefined)).toEqual(probe.defaults);
    expect(() => probe.parseParams({ notAParam: 1 })).toThrow(ConfigError);
    expect(() => probe.parseParams("nonsense")).toThrow(ConfigError);
  });

  describe.each([
    ["completion-only", COMPLETION_ONLY],
    ["chat-only", CHAT_ONLY],
    ["chat+completion", BOTH],
  ] as const)("on a %s target", (_name, target) => {
    const attempts = (seed: number) => [...probe.attempts(probe.defaults, ctxFor(target, seed))];

    it("yields attempts with unique keys and complete params", () => {
      const atts = attempts(1);
      expect(atts.length).toBeGreaterThan(0);
      expect(new Set(atts.map((a) => a.key)).size).toBe(atts.length);
      for (const a of atts) {
        expect(Number.isInteger(a.params.maxTokens) && a.params.maxTokens > 0).toBe(true);
        expect(a.params.temperature).toBeGreaterThanOrEqual(0);
        expect(target.capabilities[a.request.kind]).toBe(true);
      }
    });

    it("is deterministic under a seed", () => {
      expect(attempts(42)).toEqual(attempts(42));
    });

    it("asks for tokenizations deterministically, and stays well formed when it gets them", () => {
      if (probe.tokenize === undefined) return;
      const asked = [...probe.tokenize(probe.defaults, ctxFor(target, 9))];
      expect([...probe.tokenize(probe.defaults, ctxFor(target, 9))]).toEqual(asked);
      for (const t of asked) expect(typeof t).toBe("string");
      // whitespace-led pieces, the way SentencePiece splits: each token starts at a run of spaces
      const tokens = new Map(
        asked.map((t) => [
          t,
          {
            path: "contract",
            tokens: [...t.matchAll(/\s*\S+|\s+$/g)].map((m) => ({
              text: m[0],
              start: m.index,
              end: m.index + m[0].length,
            })),
          },
        ]),
      );
      const atts = [...probe.attempts(probe.defaults, ctxFor(target, 9, { tokens }))];
      expect(atts.length).toBeGreaterThan(0);
      expect(new Set(atts.map((a) => a.key)).size).toBe(atts.length);
      for (const a of atts) expect(target.capabilities[a.request.kind]).toBe(true);
    });
  });
});
