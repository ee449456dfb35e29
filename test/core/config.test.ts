import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PLAN, loadConfigFile, resolveScanPlan, validateConfig } from "../../src/core/config.js";
import { publicSpec } from "../../src/core/target-spec.js";
import { caughtConfigError } from "../helpers/errors.js";
import { tempDir } from "../helpers/temp.js";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("memscan-config-");
  await mkdir(join(dir, "conf"));
  await writeFile(
    join(dir, "conf/scan.yaml"),
    [
      "targets:",
      "  ft: { family: gguf, model: models/ft.gguf }",
      "  base: { family: openai, model: base, baseUrl: 'http://127.0.0.1:8001/v1', apiKey: sk-secret-1 }",
      "target: ft",
      "control: base",
      "probes: [extraction.canary, { id: divergence.repeat-word, params: { repeats: [10] } }]",
      "documents: data/train.jsonl",
      "canaries: canaries.jsonl",
      "concurrency: 2",
      "failOn: canary-leaks>0",
    ].join("\n"),
  );
});

const caught = caughtConfigError;

describe("resolveScanPlan", () => {
  it("with nothing given, scans the built-in demo with its base model as control", () => {
    const plan = resolveScanPlan(undefined, {});
    expect(plan.demo).toBe(true);
    expect(plan.target).toEqual(DEMO_PLAN.target);
    expect(plan.control).toEqual(DEMO_PLAN.control);
    expect(plan.canaries).toBe(DEMO_PLAN.canaries);
    expect(plan).toMatchObject({ seed: 1, concurrency: 4, maxTries: 4, failOn: ["findings>0"] });
  });

  it("resolves named targets, and paths in a config file against the file's folder", async () => {
    const file = await loadConfigFile(join(dir, "conf/scan.yaml"));
    const plan = resolveScanPlan(file, {});
    expect(plan.target).toEqual({ family: "gguf", model: join(dir, "conf/models/ft.gguf") });
    expect(plan.control).toMatchObject({ family: "openai", model: "base" });
    expect(plan.documents).toEqual([join(dir, "conf/data/train.jsonl")]);
    expect(plan.canaries).toBe(join(dir, "conf/canaries.jsonl"));
    expect(plan.probes).toEqual([
      { id: "extraction.canary", params: {} },
      { id: "divergence.repeat-word", params: { repeats: [10] } },
    ]);
    expect(plan).toMatchObject({ concurrency: 2, failOn: ["canary-leaks>0"], demo: false });
  });

  it("lets flags win over the file, and resolves flag paths against the working directory", async () => {
    const file = await loadConfigFile(join(dir, "conf/scan.yaml"));
    const plan = resolveScanPlan(file, {
      target: "gguf",
      model: "other.gguf",
      controlModel: "b.gguf",
      concurrency: 7,
      probe: ["extraction.sampling"],
      failOn: ["findings>2"],
    });
    expect(plan.target).toEqual({ family: "gguf", model: resolve("other.gguf") });
    expect(plan.control).toEqual({ family: "gguf", model: resolve("b.gguf") });
    expect(plan.probes).toEqual([{ id: "extraction.sampling", params: {} }]);
    expect(plan).toMatchObject({ concurrency: 7, failOn: ["findings>2"] });
  });

  it("a control from flags inherits the target's family and base URL", () => {
    const plan = resolveScanPlan(undefined, {
      target: "openai",
      model: "ft",
      baseUrl: "http://127.0.0.1:9000/v1",
      controlModel: "base",
    });
    expect(plan.control).toEqual({ family: "openai", model: "base", baseUrl: "http://127.0.0.1:9000/v1" });
  });

  it("says what was expected when a flag or a name is wrong", () => {
    expect(caught(() => resolveScanPlan(undefined, { target: "openai" })).message).toMatch(
      /Expected --model for --target openai/,
    );
    expect(caught(() => resolveScanPlan(undefined, { concurrency: 0 })).message).toMatch(
      /Expected --concurrency to be a positive integer, got 0/,
    );
    expect(caught(() => resolveScanPlan(undefined, { format: ["pdf"] })).message).toMatch(/got "pdf"/);
    const file = {
      ...validateConfig({ target: "nope", targets: { a: { family: "gguf", model: "x" } } }),
      baseDir: dir,
    };
    expect(caught(() => resolveScanPlan(file, {})).message).toMatch(
      /`target: nope` names no target .*known: a/,
    );
  });
});

describe("validateConfig", () => {
  it("reports every problem on one line with where, expected and found", () => {
    const msg = caught(() =>
      validateConfig({ target: { family: "openai", model: 3 }, rpm: -1, extra: true }, "scan.yaml"),
    ).message;
    expect(msg.split("\n")).toHaveLength(1);
    expect(msg).toBe(
      'Invalid scan.yaml: target.model: expected string, got 3; rpm: expected > 0, got -1; (top level): unknown key "extra"',
    );
  });
});

describe("publicSpec", () => {
  it("drops literal keys and tokens, keeps where to find them", () => {
    expect(publicSpec({ family: "openai", model: "m", apiKey: "sk-1", apiKeyEnv: "K" })).toEqual({
      family: "openai",
      model: "m",
      apiKeyEnv: "K",
    });
    expect(publicSpec({ family: "hf", model: "m", token: "hf_1" })).toEqual({ family: "hf", model: "m" });
  });
});
