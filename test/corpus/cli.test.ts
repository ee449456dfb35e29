import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveScanPlan, validateConfig } from "../../src/core/config.js";
import { runCli } from "../helpers/cli.js";
import { writeFixture } from "./fixture.js";

const fx = writeFixture(5);
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

describe("memscan index (CLI)", () => {
  it("builds, describes and queries an index; exit 1 when spans are found; masks text unless --reveal", async () => {
    const out = join(fx.dir, "idx");
    const build = await runCli(["index", "build", fx.docsDir, "--out", out, "--shard-mb", "0.004"]);
    expect(build.stderr).toBe("");
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/4 documents in \d+ new shard\(s\)/);
    const info = await runCli(["index", "info", out]);
    expect(info.stdout).toMatch(/every common span of >= 32 chars is found/);
    expect(info.stdout).toMatch(/sub\/b\.txt\.gz/);
    const stdin = join(fx.dir, "outputs.jsonl");
    writeFileSync(stdin, `${fx.outputs.map((t) => JSON.stringify({ output: t })).join("\n")}\n`);
    const queryFile = (file: string, ...more: string[]) =>
      runCli(["index", "query", out, "--jsonl", "--field", "output", "--stdin-file", file, ...more]);
    const q = await queryFile(stdin, "--json");
    expect(q.code).toBe(1);
    const lines = q.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { index: number; matches: { docId: string; excerpt: string }[] });
    expect(lines).toHaveLength(fx.outputs.length);
    expect(lines[0]!.matches[0]).toMatchObject({
      docId: "a.txt",
      excerpt: expect.stringMatching(/^\[redacted/),
    });
    expect(lines[3]!.matches).toEqual([]);
    const human = await runCli(["index", "query", out, fx.outputs[0]!, "--reveal"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/verbatim {2}doc a\.txt @10 {2}"650042 \| Priority/);
    const none = await runCli(["index", "query", out, "nothing like the corpus here", "--min-length", "10"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Expected --min-length >= 32/);
    const exact = await runCli([
      "index",
      "query",
      out,
      fx.outputs[0]!,
      "--max-postings",
      "0",
      "--max-span-seeds",
      "0",
    ]);
    expect(exact.code).toBe(1);
    const bad = await runCli(["index", "query", out, fx.outputs[0]!, "--max-span-seeds", "-1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected --max-span-seeds to be a whole number >= 0/);
    // Broken input after the workers started (they read the index's tables meanwhile): a clear error.
    const broken = join(fx.dir, "broken.jsonl");
    writeFileSync(broken, `${JSON.stringify({ output: fx.outputs[0] })}\n{not json\n`);
    const parse = await queryFile(broken);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toMatch(/Expected JSON on stdin line 2, got "\{not json"/);
  }, 180_000);

  it("takes the index of a scan from --index or the corpusIndex config key", () => {
    const plan = resolveScanPlan({ baseDir: "/cfg", corpusIndex: "corpus.idx" }, {});
    expect(plan.corpusIndex).toBe("/cfg/corpus.idx");
    expect(resolveScanPlan(undefined, { index: "/abs/idx" }).corpusIndex).toBe("/abs/idx");
    expect(plan.corpusIndexMemoryMb).toBeUndefined();
    const roomy = resolveScanPlan({ baseDir: "/cfg", corpusIndex: "c.idx", corpusIndexMemoryMb: 4096 }, {});
    expect(roomy.corpusIndexMemoryMb).toBe(4096);
    expect(() => validateConfig({ corpusIndex: "c.idx", corpusIndexMemoryMb: 0 }, "scan.yaml")).toThrow(
      /corpusIndexMemoryMb/,
    );
  });
});
