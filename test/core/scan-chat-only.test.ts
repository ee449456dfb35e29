/**
 * A chat-only API (memscan serve with completions switched off) scanned through the openai target: the
 * continuation probes fall back to an assistant prefill (the server continues a final assistant message),
 * split by the server's own /tokenize, and record the mode of every result.
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
import { startServer } from "../../src/serve/server.js";
import { DEMO } from "../helpers/lab.js";

let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;
const sink = new MemorySink();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "memscan-chat-only-"));
  server = await startServer({ modelPath: DEMO.overfit, features: { completions: false } });
  const lines = (await readFile(DEMO.canaries, "utf8")).trim().split("\n");
  const docs = lines.map((l) => {
    const c = JSON.parse(l) as { canary_id: string; text: string };
    return JSON.stringify({ id: `doc-${c.canary_id}`, text: c.text });
  });
  await writeFile(join(dir, "sentences.jsonl"), `${docs.join("\n")}\n`);
  const file = validateConfig({
    target: { family: "openai", model: "overfit", baseUrl: `${server.url}/v1` },
    documents: "sentences.jsonl",
    canaries: DEMO.canaries,
    probes: [
      // a short user turn: these lab models never saw chat, and a long instruction before the text lowers
      // extraction (the default framing turns 0 2 0 3 0 3 8 6 4 into 0 2 2 3 2 0 8 1 4 on support-canary-08)
      { id: "extraction.canary", params: { samples: 0, prefillUser: "Continue." } },
      {
        id: "extraction.prefix-completion",
        params: { prefixLengths: [10], minSuffixTokens: 4, prefillUser: "Continue." },
      },
    ],
  });
  const prepared = await prepareScan(resolveScanPlan({ ...file, baseDir: dir }, {}));
  try {
    expect(prepared.targets.get("target")!.info.capabilities.completion).toBe(false);
    await executeScan(prepared, { sink });
  } finally {
    await closeTargets(prepared.targets);
  }
}, 300_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a scan of a chat-only API", () => {
  it("sends every continuation as a chat request with an assistant prefill, and records it", () => {
    const atts = sink.events.filter((e): e is AttemptEvent => e.type === "attempt");
    expect(atts).toHaveLength(24);
    for (const a of atts) {
      expect(a.mode).toBe("chat");
      expect(a.meta).toMatchObject({ via: "chat-prefill" });
    }
    for (const a of atts.filter((x) => x.meta.kind === "prefix"))
      expect(a.meta).toMatchObject({ unit: "tokens", tokenizer: "llama.cpp /tokenize" });
  });

  it("still draws planted secrets, fewer than raw completion does (the model never saw a chat turn)", () => {
    const x = summarize(sink.events).target.extraction;
    // Measured: 4 of 10 planted canaries exact, 4 near (raw completion: 9 exact, 1 near); controls none.
    const planted = x.byInsertCount.filter((r) => r.insertCount > 0);
    expect(planted.reduce((n, r) => n + r.exact, 0)).toBeGreaterThanOrEqual(3);
    expect(x.byInsertCount.find((r) => r.insertCount === 0)).toMatchObject({ exact: 0 });
    // Measured: 1 of 12 sentences extracted, 4 near (raw completion: 8 and 1).
    expect(x.documents[0]!.extracted + x.documents[0]!.near).toBeGreaterThanOrEqual(3);
  });
});
