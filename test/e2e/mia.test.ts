/**
 * `memscan mia` end to end through the real CLI, on the files shipped in canaries/demo only (a fresh clone
 * runs it): the demo `overfit` model, which memorized the member records, scored in process (gguf) and
 * through `memscan serve` on loopback (completions echo, the teacher-forced top-k fallback of a server
 * without prompt logprobs, SaMIA sampling); gates and exit codes; a request budget and --resume; bad
 * input; and the offline round trip --save-logprobs -> `mia score` -> `mia metrics`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MiaAttackJson } from "../../src/cli/mia-output.js";
import type { GateResult } from "../../src/core/gate.js";
import type { MiaResultEvent, MiaScoreEvent, ReportEvent } from "../../src/report/events.js";
import { type RunningServer, startServer } from "../../src/serve/server.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import { DEMO, ROOT } from "../helpers/lab.js";
import { tempDir } from "../helpers/temp.js";

const MEMBERS = join(ROOT, "canaries/demo/members.jsonl");
const NON_MEMBERS = join(ROOT, "canaries/demo/nonmembers.jsonl");
const RECORDS = ["--members", MEMBERS, "--non-members", NON_MEMBERS];

/** What `memscan mia --json` prints. */
interface MiaJson {
  readonly runId: string;
  readonly status: string;
  readonly runDir: string;
  readonly target: string | null;
  readonly path: string | null;
  readonly records: number;
  readonly requests: { readonly target: number; readonly reference: number };
  readonly attacks: readonly (MiaAttackJson & { readonly path: string })[];
  readonly gates: readonly (GateResult & { attack?: string | null; reason?: string })[];
  readonly exitCode: number;
}

interface Run {
  readonly res: CliResult;
  readonly json: MiaJson;
  readonly events: ReportEvent[];
}

let out = "";
let overfit: RunningServer;
/** The same model behind a server without prompt logprobs (no echo, no vLLM prompt_logprobs). */
let bare: RunningServer;
let base: RunningServer;

function readLog(runDir: string): ReportEvent[] {
  return readFileSync(join(runDir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ReportEvent);
}

/** `memscan mia <args> --json --no-progress --out <tmp>`; its JSON and its run folder's events. */
async function mia(args: readonly string[]): Promise<Run> {
  const res = await runCli(["mia", ...args, "--json", "--no-progress", "--out", out]);
  if (res.stdout.trim() === "")
    throw new Error(`memscan mia printed no JSON (exit ${res.code}):\n${res.stderr}`);
  const json = JSON.parse(res.stdout) as MiaJson;
  return { res, json, events: readLog(json.runDir) };
}

const http = (s: RunningServer, model: string) => [
  "--target",
  "openai",
  "--base-url",
  `${s.url}/v1`,
  "--model",
  model,
];
const scoreEvents = (evs: readonly ReportEvent[]) =>
  evs.filter((e): e is MiaScoreEvent => e.type === "mia.score");
const resultEvents = (evs: readonly ReportEvent[]) =>
  evs.filter((e): e is MiaResultEvent => e.type === "mia.result");
const byRecord = (evs: readonly ReportEvent[]) =>
  new Map(scoreEvents(evs).map((e) => [`${e.label}/${e.record}`, e]));
const attack = (r: Run, id: string) => r.json.attacks.find((a) => a.id === id)!;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One line of a --save-logprobs file: a scored text's tokens. */
interface SavedText {
  readonly id: string;
  readonly label: string;
  readonly path?: string;
  readonly tokens: readonly {
    token: string;
    logprob: number | null;
    bound?: number;
    offset: number;
    top?: readonly { token: string; logprob: number }[];
  }[];
}
const readSaved = (file: string) =>
  new Map(
    readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as SavedText)
      .map((t) => [`${t.label}/${t.id}`, t]),
  );

let inProcess: Run;
let echo: Run;
let echoSaved: string;

beforeAll(async () => {
  out = await tempDir("memscan-e2e-mia-");
  [overfit, bare, base] = await Promise.all([
    startServer({ modelPath: DEMO.overfit }),
    startServer({ modelPath: DEMO.overfit, features: { promptLogprobs: false } }),
    startServer({ modelPath: DEMO.base }),
  ]);
  echoSaved = join(out, "echo-logprobs.jsonl");
  [inProcess, echo] = await Promise.all([
    mia(["--target", "gguf", "--model", DEMO.overfit, ...RECORDS, "--max-records", "6"]),
    mia([...http(overfit, "overfit"), ...RECORDS, "--max-records", "6", "--save-logprobs", echoSaved]),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([overfit?.close(), bare?.close(), base?.close()]);
});

describe("memscan mia on the demo overfit model: in process and through memscan serve", () => {
  it("both complete with exit 0 and one mia.score per record, one mia.result per default attack", () => {
    for (const r of [inProcess, echo]) {
      expect(r.res.code, r.res.stderr).toBe(0);
      expect(r.json).toMatchObject({ status: "completed", path: "prompt", records: 12, exitCode: 0 });
      expect(r.json.requests).toEqual({ target: 12, reference: 0 }); // one request per text
      expect(scoreEvents(r.events)).toHaveLength(12);
      expect(resultEvents(r.events).map((e) => e.attack)).toEqual(["loss", "min-k", "min-k-plus-plus"]);
      expect(r.res.stderr).toContain(
        "membership inference: 12 records by prompt logprobs; attacks loss, min-k, min-k-plus-plus; about 12 requests on the target",
      );
    }
    expect(inProcess.json.target).toBe("gguf:overfit");
    expect(echo.json.target).toBe("openai:overfit");
  });

  it("per-record loss and min-k agree to 1e-3 between gguf and completions echo", () => {
    const a = byRecord(inProcess.events);
    const b = byRecord(echo.events);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    let worst = 0;
    for (const [key, e] of a) {
      const h = b.get(key)!;
      expect(e.path).toBe("gguf");
      expect(h.path).toBe("completions-echo");
      expect(h.tokens).toBe(e.tokens);
      expect(h.sha256).toBe(e.sha256);
      for (const id of ["loss", "min-k"]) {
        expect(h.scores[id], `${key} ${id}`).toBeCloseTo(e.scores[id]!, 3);
        worst = Math.max(worst, Math.abs(h.scores[id]! - e.scores[id]!));
      }
    }
    expect(worst).toBeLessThan(1e-3); // measured: < 1e-4
  });

  it("--json gives every attack's metrics and path; overfit members are separated", () => {
    for (const [r, path] of [
      [inProcess, "gguf"],
      [echo, "completions-echo"],
    ] as const) {
      expect(r.json.attacks.map((a) => a.id).sort()).toEqual(["loss", "min-k", "min-k-plus-plus"]);
      for (const a of r.json.attacks) {
        expect(Object.keys(a)).toEqual(
          expect.arrayContaining([
            "id",
            "auc",
            "aucLow",
            "aucHigh",
            "tprAt1",
            "tprAt01",
            "balancedAccuracy",
            "members",
            "nonMembers",
            "path",
          ]),
        );
        expect(a).toMatchObject({ path, members: 6, nonMembers: 6 });
        expect(a.aucLow).toBeLessThanOrEqual(a.auc);
        expect(a.aucHigh).toBeGreaterThanOrEqual(a.auc);
        // 6 non-members are far too few for TPR at 1% FPR (about 1000 needed): refused, not guessed
        expect(a.tprAt1).toBeNull();
        expect(a.tprAt01).toBeNull();
      }
      expect(attack(r, "loss").auc).toBeGreaterThanOrEqual(0.9);
      // the JSON agrees with the run's own mia.result events
      for (const e of resultEvents(r.events)) expect(attack(r, e.attack)).toMatchObject({ auc: e.auc, path });
    }
    // every member has a higher LOSS score (mean logprob) than every non-member
    const s = scoreEvents(echo.events);
    const lowestMember = Math.min(...s.filter((e) => e.label === "member").map((e) => e.scores.loss!));
    const highestNon = Math.max(...s.filter((e) => e.label === "non-member").map((e) => e.scores.loss!));
    expect(lowestMember).toBeGreaterThan(highestNon);
  });

  it("Min-K%++ is approximate over HTTP (top-k moments) and exact in process (full distribution)", () => {
    expect(attack(echo, "min-k-plus-plus").approximate).toBe(true);
    expect(attack(inProcess, "min-k-plus-plus").approximate).toBe(false);
    expect(attack(echo, "loss").approximate).toBe(false);
    for (const e of scoreEvents(echo.events)) expect(e.approximate).toEqual(["min-k-plus-plus"]);
    for (const e of scoreEvents(inProcess.events)) expect(e.approximate).toBeUndefined();
  });
});

describe("a server without prompt logprobs: the teacher-forced top-k fallback", () => {
  let tf: Run;
  let tfSaved: string;
  beforeAll(async () => {
    tfSaved = join(out, "tf-logprobs.jsonl");
    // 1 + 1 records: one request per token (577 requests), the slow part of this file
    tf = await mia([...http(bare, "overfit"), ...RECORDS, "--max-records", "1", "--save-logprobs", tfSaved]);
  }, 600_000);

  it("is chosen by itself (--path auto) and shows its cost on stderr", () => {
    expect(tf.res.code, tf.res.stderr).toBe(0);
    expect(tf.json).toMatchObject({ status: "completed", path: "teacher-forced", records: 2 });
    const line = tf.res.stderr.split("\n").find((l) => l.startsWith("membership inference:"))!;
    expect(line).toContain(
      "by teacher-forced fallback: openai:overfit gives no prompt logprobs, one request per token",
    );
    const estimate = Number(/about ([\d,]+) requests on the target/.exec(line)![1]!.replaceAll(",", ""));
    // the estimate (from the tokenizer's chars per token on a few texts) is close to what was spent
    expect(Math.abs(estimate - tf.json.requests.target) / tf.json.requests.target).toBeLessThan(0.1);
    for (const a of tf.json.attacks) expect(a.path).toBe("teacher-forced-topk");
    for (const e of scoreEvents(tf.events)) expect(e.path).toBe("teacher-forced-topk");
  });

  it("costs one request per scored token plus one tokenize call per text", () => {
    const s = scoreEvents(tf.events);
    expect(s).toHaveLength(2);
    for (const e of s) {
      expect(e.requests).toBe(e.tokens + 1);
      expect(e.usage?.target.requests).toBe(e.tokens + 1);
      // and the token count is the same as echo's for the same text (tokenizer positions)
      expect(e.tokens).toBe(byRecord(echo.events).get(`${e.label}/${e.record}`)!.tokens);
    }
    const total = s.reduce((n, e) => n + e.tokens + 1, 0);
    expect(tf.json.requests.target).toBe(total); // measured: 577 (280 + 295 tokens, 2 tokenize calls)
    expect(tf.json.requests.target / s.length).toBeGreaterThan(200); // far more than 1 per record
  });

  it("prints the whole cost before it runs: with a budget of 1 request it still shows hundreds", async () => {
    const r = await mia([...http(bare, "overfit"), ...RECORDS, "--max-records", "1", "--max-requests", "1"]);
    expect(r.res.code).toBe(3);
    const lines = r.res.stderr.split("\n");
    const cost = lines.findIndex((l) => /teacher-forced fallback.*about [\d,]+ requests/.test(l));
    const stopped = lines.findIndex((l) => l.startsWith("memscan: run stopped early"));
    expect(cost).toBeGreaterThanOrEqual(0);
    expect(stopped).toBeGreaterThan(cost);
    const estimate = Number(/about ([\d,]+) requests/.exec(lines[cost]!)![1]!.replaceAll(",", ""));
    expect(estimate).toBeGreaterThan(500);
    expect(scoreEvents(r.events)).toHaveLength(0);
  });

  it("reads the same token logprobs as echo; a token missing from the top-5 is censored with an upper bound", () => {
    const tfTexts = readSaved(tfSaved);
    const echoTexts = readSaved(echoSaved);
    expect(tfTexts.size).toBe(2);
    let worst = 0;
    let bounded = 0;
    for (const [key, t] of tfTexts) {
      const e = echoTexts.get(key)!;
      expect(t.path).toBe("teacher-forced-topk");
      const at = new Map(e.tokens.map((x) => [x.offset, x]));
      for (const tok of t.tokens) {
        const ref = at.get(tok.offset)!;
        expect(ref, `${key} @${tok.offset}`).toBeDefined();
        if (tok.logprob === null) {
          // censored: the true token was not among the 5 alternatives, so its logprob is below all of them
          // and below the unlisted mass; the bound says so (up to the 0.01 by which two evaluations of the
          // same position may differ), and is never below the truth
          const floor = Math.min(...tok.top!.map((a) => a.logprob));
          expect(tok.bound, `${key} @${tok.offset}`).toBeDefined();
          expect(tok.bound!).toBeLessThanOrEqual(floor);
          expect(ref.logprob!).toBeLessThanOrEqual(tok.bound! + 0.01);
          bounded++;
        } else {
          worst = Math.max(worst, Math.abs(tok.logprob - ref.logprob!));
        }
      }
    }
    expect(bounded).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.01); // measured: 0.0044 (batched vs single evaluation)
  });

  it("LOSS uses the bound for censored tokens: close to echo on members, optimistic (but ordered) on non-members", () => {
    const tfTexts = readSaved(tfSaved);
    const echoScores = byRecord(echo.events);
    const rows: string[] = [];
    const diffs: Record<string, number[]> = { member: [], "non-member": [] };
    for (const e of scoreEvents(tf.events)) {
      const key = `${e.label}/${e.record}`;
      const t = tfTexts.get(key)!;
      // the fallback's LOSS is the mean over measured logprobs and, for censored tokens, their bounds
      const values = t.tokens.map((x) => x.logprob ?? x.bound!);
      expect(e.scores.loss!, key).toBeCloseTo(mean(values), 6);
      const truth = echoScores.get(key)!.scores.loss!;
      // bounds are upper bounds, so the fallback never scores a text less likely than echo does
      expect(e.scores.loss!).toBeGreaterThanOrEqual(truth - 0.01);
      const d = e.scores.loss! - truth;
      diffs[e.label]!.push(d);
      const censored = t.tokens.filter((x) => x.logprob === null).length;
      rows.push(
        `${key}: loss echo ${truth.toFixed(3)} teacher-forced ${e.scores.loss!.toFixed(3)} (d ${d.toFixed(3)}), censored ${censored}/${t.tokens.length}`,
      );
    }
    console.info(`teacher-forced vs echo, per record:\n  ${rows.join("\n  ")}`);
    expect(mean(diffs.member!)).toBeLessThan(0.05);
    expect(attack(tf, "loss").auc).toBe(1);
    expect(attack(tf, "min-k-plus-plus").approximate).toBe(true);
  });
});

describe("memscan mia --path samia through memscan serve", () => {
  it("samples continuations: path samia, attacks samia and samia-zlib, ROUGE-1 recall in [0, 1]", async () => {
    const r = await mia([...http(overfit, "overfit"), ...RECORDS, "--max-records", "3", "--path", "samia"]);
    expect(r.res.code, r.res.stderr).toBe(0);
    expect(r.json).toMatchObject({ status: "completed", path: "samia", records: 6 });
    expect(r.json.attacks.map((a) => a.id).sort()).toEqual(["samia", "samia-zlib"]);
    for (const a of r.json.attacks) expect(a).toMatchObject({ path: "samia", members: 3, nonMembers: 3 });
    expect(r.json.requests.target).toBe(6 * 5); // --samples 5 by default
    const s = scoreEvents(r.events);
    expect(s).toHaveLength(6);
    for (const e of s) {
      expect(e.path).toBe("samia");
      expect(e.requests).toBe(5);
      expect(e.scores.samia).toBeGreaterThanOrEqual(0);
      expect(e.scores.samia).toBeLessThanOrEqual(1);
      expect(e.scores["samia-zlib"]).toBeGreaterThanOrEqual(0); // recall times zlib bytes
    }
    // some words of the true second half are recovered
    expect(Math.max(...s.map((e) => e.scores.samia!))).toBeGreaterThan(0);
  });

  it("refuses a logprob attack on the sampling path", async () => {
    const r = await runCli([
      "mia",
      ...http(overfit, "overfit"),
      ...RECORDS,
      "--path",
      "samia",
      "--attacks",
      "loss",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Expected only samia, samia-zlib on the sampling path");
  });
});

describe("gates", () => {
  const gateArgs = (gates: readonly string[]) => [
    ...http(overfit, "overfit"),
    ...RECORDS,
    "--max-records",
    "6",
    ...gates.flatMap((g) => ["--fail-on", g]),
  ];

  it('--fail-on "auc>0.6" fails (exit 1): FAIL in the table and failed in summary.json', async () => {
    const res = await runCli([
      "mia",
      ...gateArgs(["auc>0.6", "loss:auc>0.99", "tpr@1%>0.05"]),
      "--no-progress",
      "--out",
      out,
    ]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^loss\s+1\.000 \[1\.000, 1\.000\]\s+refused: too few non-members/m);
    expect(res.stdout).toContain("gate auc>0.6: 1.000 -> FAIL");
    expect(res.stdout).toContain("gate loss:auc>0.99: 1.000 -> FAIL");
    expect(res.stdout).toContain("gate tpr@1%>0.05: not measured -> pass");
    const runDir = /^report: (.+)$/m.exec(res.stdout)![1]!;
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
    expect(summary.exitCode).toBe(1);
    expect(summary.gates.map((g: GateResult) => [g.expr, g.value, g.failed])).toEqual([
      ["auc>0.6", 1, true],
      ["loss:auc>0.99", 1, true],
      ["tpr@1%>0.05", null, false],
    ]);
  });

  it("a TPR gate on 6 + 6 records and a gate on an attack not run are not measured: exit 0 with the reason", async () => {
    const r = await mia(gateArgs(["tpr@1%>0.05", "zlib:auc>0.6"]));
    expect(r.res.code).toBe(0);
    expect(r.json.exitCode).toBe(0);
    const [tpr, zlib] = r.json.gates;
    expect(tpr).toMatchObject({ expr: "tpr@1%>0.05", value: null, failed: false });
    expect(tpr!.reason).toContain("TPR@1%FPR refused: too few non-members (about 1000 needed)");
    expect(zlib).toMatchObject({ expr: "zlib:auc>0.6", value: null, failed: false });
    expect(zlib!.reason).toBe("no results for attack `zlib`");
  });

  it('--fail-on "nosuch:auc>0.6" is a one-line usage error (exit 2) and writes nothing', async () => {
    const dir = join(out, "never");
    const r = await runCli([
      "mia",
      ...http(overfit, "overfit"),
      ...RECORDS,
      "--fail-on",
      "nosuch:auc>0.6",
      "--out",
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("Unknown attack `nosuch` in gate `nosuch:auc>0.6`; known: loss, zlib");
    expect(existsSync(dir)).toBe(false);
  });
});

describe("a request budget, then --resume", () => {
  it("stops mid-run (exit 3, resume hint), holds on a plain resume, and a raised budget finishes each record once", async () => {
    const args = [...http(overfit, "overfit"), ...RECORDS, "--max-records", "6"];
    const first = await mia([...args, "--max-requests", "5"]);
    const { runDir } = first.json;
    expect(first.res.code).toBe(3);
    expect(first.json.status).toBe("interrupted");
    expect(first.json.attacks).toEqual([]);
    expect(first.res.stderr).toContain("Expected at most 5 requests");
    expect(first.res.stderr).toContain(`memscan mia --resume ${runDir} --max-requests <more>`);
    expect(scoreEvents(first.events)).toHaveLength(5);
    expect(resultEvents(first.events)).toHaveLength(0);
    expect(first.events.at(-1)).toMatchObject({ type: "run.finished", status: "interrupted" });

    // the budget holds for the whole run: resuming without raising it scores nothing more
    const held = await runCli(["mia", "--resume", runDir, "--json", "--no-progress"]);
    expect(held.code).toBe(3);
    expect(scoreEvents(readLog(runDir))).toHaveLength(5);

    const done = await runCli([
      "mia",
      "--resume",
      runDir,
      "--max-requests",
      "100",
      "--json",
      "--no-progress",
    ]);
    expect(done.code, done.stderr).toBe(0);
    const json = JSON.parse(done.stdout) as MiaJson;
    expect(json).toMatchObject({ status: "completed", runDir, records: 12 });
    expect(json.requests.target).toBe(12); // 5 before + 7 now: nothing scored twice
    const events = readLog(runDir);
    const s = scoreEvents(events);
    expect(s).toHaveLength(12);
    expect(new Set(s.map((e) => e.journalKey)).size).toBe(12);
    expect(new Set(s.map((e) => `${e.label}/${e.record}`)).size).toBe(12);
    expect(resultEvents(events).map((e) => e.attack)).toEqual(["loss", "min-k", "min-k-plus-plus"]);
    expect(
      events.filter((e) => e.type === "run.started").map((e) => e.type === "run.started" && e.resumed),
    ).toEqual([false, true, true]);
    // and the resumed run's scores are the ones an uninterrupted run gets
    const whole = byRecord(echo.events);
    for (const e of s)
      expect(e.scores.loss).toBeCloseTo(whole.get(`${e.label}/${e.record}`)!.scores.loss!, 3);
    expect(json.attacks.map((a) => [a.id, a.auc])).toEqual(echo.json.attacks.map((a) => [a.id, a.auc]));
  }, 120_000);
});

describe("bad input is refused before anything runs", () => {
  const target = () => http(overfit, "overfit");

  it("members without non-members: one line, exit 2", async () => {
    const dir = join(out, "no-non-members");
    const r = await runCli(["mia", ...target(), "--members", MEMBERS, "--out", dir, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      "Expected both members and non-members for membership inference, got only members",
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("a members file that is not JSONL: the error names the file and line", async () => {
    const bad = join(out, "bad-members.jsonl");
    writeFileSync(bad, '{"text": "a fine first record"}\nthis is not json\n');
    const dir = join(out, "bad-jsonl");
    const r = await runCli([
      "mia",
      ...target(),
      "--members",
      bad,
      "--non-members",
      NON_MEMBERS,
      "--out",
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`\`${bad}\` line 2, found invalid JSON`);
    expect(existsSync(dir)).toBe(false);
  });

  it("an unknown attack: lists the known ones", async () => {
    const r = await runCli(["mia", ...target(), ...RECORDS, "--attacks", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Unknown attack `nosuch`; known: loss, zlib, lowercase, min-k, min-k-plus-plus, reference, neighbour, pv, spv",
    );
  });
});

describe("offline: --save-logprobs, then memscan mia score and mia metrics", () => {
  it("reproduces the online run's metrics exactly, from the scores file and from the run folder", async () => {
    // The base model never saw the members: AUCs away from 0 and 1, so agreement is not trivial.
    const saved = join(out, "base-logprobs.jsonl");
    const scores = join(out, "base-scores.jsonl");
    const online = await mia([
      ...http(base, "base"),
      ...RECORDS,
      "--max-records",
      "6",
      "--save-logprobs",
      saved,
    ]);
    expect(online.res.code, online.res.stderr).toBe(0);
    const scored = await runCli(["mia", "score", saved, "--out", scores]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toContain("scored 12 records (6 members, 6 non-members)");
    const fromFile = await runCli(["mia", "metrics", scores, "--json"]);
    const fromRun = await runCli(["mia", "metrics", online.json.runDir, "--json"]);
    for (const r of [fromFile, fromRun]) {
      expect(r.code, r.stderr).toBe(0);
      const m = JSON.parse(r.stdout) as { attacks: MiaAttackJson[] };
      for (const id of ["loss", "min-k"]) {
        const want = attack(online, id);
        const got = m.attacks.find((a) => a.id === id)!;
        expect(got).toMatchObject({
          auc: want.auc,
          aucLow: want.aucLow,
          aucHigh: want.aucHigh,
          balancedAccuracy: want.balancedAccuracy,
          members: 6,
          nonMembers: 6,
          path: "completions-echo",
        });
      }
    }
    const loss = attack(online, "loss");
    expect(loss.auc).toBeGreaterThan(0);
    expect(loss.auc).toBeLessThan(1);
    expect(loss.aucHigh - loss.aucLow).toBeGreaterThan(0.1);
  });
});
