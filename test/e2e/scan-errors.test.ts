/**
 * Bad input through the real CLI: each mistake gets one clear error line on stderr, the documented
 * exit code (2 usage/config, 3 runtime), and nothing half-written in the reports folder.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { runCli } from "../helpers/cli.js";
import { DEMO } from "../helpers/lab.js";
import { tempDir } from "../helpers/temp.js";

let dir: string;
let keyed: RunningServer;

beforeAll(async () => {
  dir = await tempDir("memscan-errors-");
  keyed = await startServer({ modelPath: DEMO.base, apiKey: "the-right-key-123" });
  await writeFile(join(dir, "broken.yaml"), "target: {family: openai, model: x\nprobes: [\n");
  await writeFile(join(dir, "invalid.yaml"), 'target: {family: openai, model: 3}\nconcurrency: "lots"\n');
});

afterAll(() => keyed?.close());

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly code: number;
  /** What the one line must say. */
  readonly says: readonly RegExp[];
}

const CASES: readonly Case[] = [
  {
    name: "a config file that is not YAML",
    args: () => ["--config", join(dir, "broken.yaml")],
    code: 2,
    says: [/broken\.yaml is not valid YAML or JSON/, /line 2/],
  },
  {
    name: "a config file with wrong types",
    args: () => ["--config", join(dir, "invalid.yaml")],
    code: 2,
    says: [/target\.model: expected string, got 3/, /concurrency: expected number, got "lots"/],
  },
  {
    name: "an unreachable endpoint",
    args: () => ["--target", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"],
    env: { OPENAI_API_KEY: "k" },
    code: 3,
    says: [/connection failure/, /check that the server is running/],
  },
  {
    name: "a wrong API key",
    args: () => ["--target", "openai", "--base-url", `${keyed.url}/v1`, "--model", "base"],
    env: { OPENAI_API_KEY: "a-wrong-key-456" },
    code: 2,
    says: [/HTTP 401/, /\(invalid_api_key\) Incorrect API key/, /check the API key/],
  },
  {
    name: "an unknown probe",
    args: () => ["--probe", "extraction.everything"],
    code: 2,
    says: [/Expected a known probe id, got `extraction\.everything`/, /extraction\.canary/],
  },
  {
    name: "an unknown gate metric",
    args: () => ["--fail-on", "leaks>0"],
    code: 2,
    says: [/Unknown gate metric "leaks"/, /canary-leaks/],
  },
  {
    name: "a missing canary manifest",
    args: () => ["--canaries", join(dir, "nope.jsonl")],
    code: 2,
    says: [/Expected a readable canary manifest at .*nope\.jsonl/],
  },
];

describe("memscan scan with bad input", () => {
  for (const c of CASES) {
    it(`${c.name}: one error line, exit ${c.code}, nothing written`, async () => {
      const out = join(dir, `out-${c.name.replace(/\W+/g, "-")}`);
      const res = await runCli(["scan", ...c.args(), "--out", out, "--no-progress"], {
        env: { OPENAI_API_KEY: "", ...c.env },
      });
      expect(res.code).toBe(c.code);
      const lines = res.stderr.trim().split("\n");
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^memscan: /);
      for (const re of c.says) expect(lines[0]).toMatch(re);
      expect(lines[0]).not.toContain("the-right-key-123");
      expect(lines[0]).not.toContain("a-wrong-key-456");
      expect(res.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
  }
});
