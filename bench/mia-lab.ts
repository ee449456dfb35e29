/**
 * The lab membership-inference measurement (issue 4 "must show"), too heavy for unit tests: for each lab
 * model (overfit, mild, base) and each scoring path — in process (`--target gguf`) and through
 * `memscan serve` + the openai target (completions echo) — run the real CLI,
 * `memscan mia --members data/members.jsonl --non-members data/nonmembers.jsonl --reference-model base`,
 * over all 250 + 250 records, and print per attack the AUC with its bootstrap interval, TPR@1%FPR, the
 * AUC's paired-bootstrap difference from LOSS, and LOSS beside the lab's white-box figure
 * (results/torch_eval.json). Then the teacher-forced fallback on overfit (a server without prompt
 * logprobs) over the first `--forced-records` of each set, against the echo path's scores of the same records.
 *
 *   npx tsx bench/mia-lab.ts [--models overfit,mild,base] [--paths gguf,echo] [--forced-records 10]
 *   npx tsx bench/mia-lab.ts --from <folder>    # re-print the tables from the kept run folders
 *
 * TPR@1% needs ceil(10/0.01) = 1000 non-members under memscan's default refusal; with the lab's 250 the
 * runs pass `--min-non-members-factor 2.5` (2.5 false positives expected at the threshold), so the value
 * is printed but noisy. MEMSCAN_LAB points at the lab (default ../shared/lab/public).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "../src/core/rng.js";
import { aucDifference } from "../src/mia/auc-difference.js";
import type { MiaResultEvent, MiaScoreEvent, ReportEvent } from "../src/report/events.js";
import { type RunningServer, startServer } from "../src/serve/server.js";
import { HAS_LAB, LAB_DIR, ROOT } from "../test/helpers/lab.js";
import { memscanCli } from "./memscan-cli.js";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const models = arg("models", "overfit,mild,base").split(",");
const paths = arg("paths", "gguf,echo").split(",");
const forcedRecords = Number(arg("forced-records", "10"));
const from = arg("from", "");
const out = from || arg("out", join(ROOT, "bench/.data/mia-lab"));
const ATTACKS = "loss,zlib,min-k,min-k-10,min-k-plus-plus,reference";

const model = (m: string) => join(LAB_DIR, "models", `${m}.gguf`);
const events = (dir: string): ReportEvent[] =>
  readFileSync(join(dir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ReportEvent);

/** Run (or find, with --from) one `memscan mia` run; returns its folder. */
async function run(name: string, args: string[]): Promise<string> {
  const dir = join(out, name);
  const done = join(dir, "run.txt");
  if (existsSync(done)) return readFileSync(done, "utf8").trim();
  if (from) throw new Error(`no kept run ${name} in ${from}`);
  const t0 = Date.now();
  const res = await memscanCli(["mia", ...args, "--out", dir, "--json", "--no-progress", "--format", "json"]);
  if (res.code !== 0 && res.code !== 1) throw new Error(`memscan mia (${name}) exited ${res.code}`);
  const runDir = (JSON.parse(res.stdout) as { runDir: string }).runDir;
  writeFileSync(done, `${runDir}\n`);
  process.stderr.write(`${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  return runDir;
}

function scores(dir: string): MiaScoreEvent[] {
  return events(dir).filter((e): e is MiaScoreEvent => e.type === "mia.score");
}
function results(dir: string): MiaResultEvent[] {
  return events(dir).filter((e): e is MiaResultEvent => e.type === "mia.result");
}

const f3 = (x: number | null) => (x === null ? "  -  " : x.toFixed(3));

function table(label: string, dir: string, whiteBox: number | undefined): string[] {
  const res = results(dir).sort((a, b) => b.auc - a.auc);
  const s = scores(dir);
  const pair = (id: string, label2: MiaScoreEvent["label"]) =>
    s.filter((e) => e.label === label2).map((e) => [e.scores[id] ?? null, e.scores.loss ?? null] as const);
  const lines = [
    `### ${label}  (${res[0]?.members ?? 0} members + ${res[0]?.nonMembers ?? 0} non-members, path ${res[0]?.path ?? "?"})`,
    "attack              AUC    [95% CI]        TPR@1%  bal.acc  AUC − LOSS [paired 95% CI]",
  ];
  for (const r of res) {
    const d =
      r.attack === "loss"
        ? whiteBox !== undefined
          ? `(white-box LOSS ${whiteBox.toFixed(3)}: |Δ| ${Math.abs(r.auc - whiteBox).toFixed(4)})`
          : ""
        : (() => {
            const x = aucDifference(
              { members: pair(r.attack, "member"), nonMembers: pair(r.attack, "non-member") },
              new Rng(1),
            );
            const beyond = x.low > 0 ? "  beats LOSS" : x.high < 0 ? "  worse than LOSS" : "";
            return `${x.delta >= 0 ? "+" : ""}${x.delta.toFixed(3)} [${x.low.toFixed(3)}, ${x.high.toFixed(3)}]${beyond}`;
          })();
    lines.push(
      `${(r.attack + (r.approximate ? "*" : "")).padEnd(18)}  ${r.auc.toFixed(3)}  [${r.aucLow.toFixed(3)}, ${r.aucHigh.toFixed(3)}]  ${f3(r.tprAt1)}   ${r.balancedAccuracy.toFixed(3)}    ${d}`,
    );
  }
  return lines;
}

/** Largest per-record |Δ score| between two runs of the same records, per attack. */
function agreement(a: string, b: string, attacks: readonly string[]): string {
  const key = (e: MiaScoreEvent) => `${e.label}\0${e.record}`;
  const other = new Map(scores(b).map((e) => [key(e), e]));
  const parts = attacks.map((id) => {
    let worst = 0;
    let n = 0;
    for (const e of scores(a)) {
      const x = e.scores[id];
      const y = other.get(key(e))?.scores[id];
      if (typeof x === "number" && typeof y === "number") {
        worst = Math.max(worst, Math.abs(x - y));
        n++;
      }
    }
    return `${id} ${worst.toExponential(1)} (${n} records)`;
  });
  return `max |Δ score| in process vs echo: ${parts.join(", ")}`;
}

async function main() {
  if (!HAS_LAB) {
    console.error(`The lab is not at ${LAB_DIR}; set MEMSCAN_LAB.`);
    process.exit(2);
  }
  await mkdir(out, { recursive: true });
  const truth = JSON.parse(readFileSync(join(LAB_DIR, "results/torch_eval.json"), "utf8")) as {
    models: Record<string, { loss_attack_auc: number }>;
  };
  const data = (f: string) => join(LAB_DIR, "data", f);
  const common = [
    "--members",
    data("members.jsonl"),
    "--non-members",
    data("nonmembers.jsonl"),
    "--attacks",
    ...ATTACKS.split(","),
    "--min-non-members-factor",
    "2.5",
  ];
  const servers = new Map<string, RunningServer>();
  const serve = async (m: string, features?: { promptLogprobs: boolean }) => {
    const k = `${m}:${features?.promptLogprobs ?? true}`;
    if (!servers.has(k))
      servers.set(k, await startServer({ modelPath: model(m), ...(features ? { features } : {}) }));
    return servers.get(k)!;
  };
  const dirs = new Map<string, string>();
  try {
    for (const m of models) {
      for (const p of paths) {
        const target =
          p === "gguf"
            ? ["--target", "gguf", "--model", model(m), "--reference-model", model("base")]
            : from
              ? []
              : [
                  "--target",
                  "openai",
                  "--base-url",
                  `${(await serve(m)).url}/v1`,
                  "--model",
                  m,
                  "--reference-base-url",
                  `${(await serve("base")).url}/v1`,
                  "--reference-model",
                  "base",
                ];
        dirs.set(`${m}/${p}`, await run(`${m}-${p}`, [...target, ...common]));
      }
    }
    // The first records of overfit through memscan serve, with and without prompt logprobs.
    const overfitSubset = async (name: string, features?: { promptLogprobs: boolean }) =>
      run(name, [
        ...(from
          ? []
          : [
              "--target",
              "openai",
              "--base-url",
              `${(await serve("overfit", features)).url}/v1`,
              "--model",
              "overfit",
            ]),
        "--members",
        data("members.jsonl"),
        "--non-members",
        data("nonmembers.jsonl"),
        "--attacks",
        "loss",
        "min-k",
        "--max-records",
        String(forcedRecords),
      ]);
    const forced = await overfitSubset("overfit-teacher-forced", { promptLogprobs: false });
    const echoSubset = await overfitSubset("overfit-echo-subset");
    const lines: string[] = [];
    for (const m of models) {
      for (const p of paths)
        lines.push(
          ...table(
            `${m} — ${p === "gguf" ? "in process (gguf)" : "memscan serve + openai (completions echo)"}`,
            dirs.get(`${m}/${p}`)!,
            truth.models[m]?.loss_attack_auc,
          ),
          "",
        );
      if (dirs.has(`${m}/gguf`) && dirs.has(`${m}/echo`))
        lines.push(
          agreement(dirs.get(`${m}/gguf`)!, dirs.get(`${m}/echo`)!, ["loss", "zlib", "min-k", "reference"]),
          "",
        );
    }
    const fr = results(forced);
    const er = results(echoSubset);
    const req = scores(forced).reduce((s, e) => s + (e.usage?.target.requests ?? e.requests), 0);
    const toks = scores(forced).reduce((s, e) => s + e.tokens, 0);
    lines.push(
      `### teacher-forced top-5 fallback on overfit (server without prompt logprobs), ${forcedRecords} + ${forcedRecords} records`,
    );
    for (const id of ["loss", "min-k"]) {
      const a = fr.find((r) => r.attack === id);
      const b = er.find((r) => r.attack === id);
      lines.push(`${id.padEnd(6)} AUC teacher-forced ${f3(a?.auc ?? null)}  echo ${f3(b?.auc ?? null)}`);
    }
    lines.push(
      `requests ${req} for ${scores(forced).length} records (${toks} scored tokens; ${(req / scores(forced).length).toFixed(0)} per record, echo: 1)`,
    );
    const echoBy = new Map(scores(echoSubset).map((e) => [`${e.label}\0${e.record}`, e]));
    const diffs = scores(forced).map((e) =>
      Math.abs((e.scores.loss ?? 0) - (echoBy.get(`${e.label}\0${e.record}`)?.scores.loss ?? 0)),
    );
    lines.push(
      `per-record LOSS |teacher-forced − echo|: mean ${(diffs.reduce((s, x) => s + x, 0) / diffs.length).toFixed(4)}, max ${Math.max(...diffs).toFixed(4)} nats/token`,
    );
    lines.push("", "* approximate (Min-K%++ moments from the top-5 list over HTTP; exact in process)");
    const text = lines.join("\n");
    console.log(text);
    writeFileSync(join(out, "tables.txt"), `${text}\n`);
  } finally {
    await Promise.all([...servers.values()].map((s) => s.close()));
  }
}

await main();
