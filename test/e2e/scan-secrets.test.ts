/**
 * What a run folder must never contain: the API key (even when the config file holds it literally) and,
 * without --reveal, the leaked secrets themselves. With --reveal the secrets are there, so the first
 * check could fail.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { runCli } from "../helpers/cli.js";
import { DEMO } from "../helpers/lab.js";
import { tempDir } from "../helpers/temp.js";
import { demoCanaries } from "../serve/serve-helpers.js";

const KEY = "sk-test-memscan-0123456789abcdef";
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  server = await startServer({ modelPath: DEMO.overfit, apiKey: KEY });
  dir = await tempDir("memscan-secrets-");
});
afterAll(() => server?.close());

async function scanWith(reveal: boolean): Promise<string> {
  const config = join(dir, `scan-${reveal}.yaml`);
  await writeFile(
    config,
    [
      "targets:",
      `  ft: { family: openai, model: overfit, baseUrl: "${server.url}/v1", apiKey: "${KEY}" }`,
      "target: ft",
      `canaries: ${JSON.stringify(DEMO.canaries)}`,
      "probes: [extraction.canary]",
      `out: ${JSON.stringify(join(dir, `out-${reveal}`))}`,
      `reveal: ${reveal}`,
    ].join("\n"),
  );
  const res = await runCli(["scan", "--config", config, "--no-progress"], { env: { OPENAI_API_KEY: "" } });
  expect(res.code, res.stderr).toBe(1);
  const out = join(dir, `out-${reveal}`);
  const [run] = await readdir(out);
  const files = await readdir(join(out, run!));
  expect(files.sort()).toEqual(["events.jsonl", "summary.json", "summary.md"]);
  const texts = await Promise.all(files.map((f) => readFile(join(out, run!, f), "utf8")));
  return texts.join("\n") + res.stdout + res.stderr;
}

describe("run folders", () => {
  const planted = demoCanaries.filter((c) => c.insert_count > 0).map((c) => c.secret);

  it("never hold the API key; without --reveal no leaked secret either", async () => {
    const all = await scanWith(false);
    expect(all).not.toContain(KEY);
    for (const secret of planted) expect(all).not.toContain(secret);
    expect(all).toMatch(/\[redacted 17 chars sha256:[0-9a-f]{12}\]/);
  });

  it("with --reveal hold the leaked secrets (and still not the key)", async () => {
    const all = await scanWith(true);
    expect(all).not.toContain(KEY);
    expect(planted.filter((s) => all.includes(s)).length).toBeGreaterThanOrEqual(9);
  });
});
