/**
 * The lab exposure measurement (issue 5 "must show"), too heavy for unit tests: for each lab model
 * (overfit, mild, base) run the real CLI, `memscan canary exposure --target gguf --model <m>.gguf
 * --manifest data/canaries.jsonl --references N --json`, and print the mean exposure by insertion count
 * (interpolated, extrapolated) beside the lab's ground truth (training framework, normal fit, 1,000
 * candidates: results/torch_eval.json).
 *
 *   npx tsx bench/exposure-lab.ts [--references 1000] [--models overfit,mild,base] [--out reports/lab]
 *   npx tsx bench/exposure-lab.ts --runs <overfit run>,<mild run>,<base run>   # re-read finished runs
 *
 * Beside memscan's two estimators it prints a normal fit to the same reference perplexities (the lab's
 * method), so the measurement and the choice of fit can be compared separately.
 *
 * MEMSCAN_LAB points at the lab (default ../shared/lab/public).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { logNormalCdf } from "../src/canary/normal.js";
import { HAS_LAB, LAB_DIR, ROOT } from "../test/helpers/lab.js";
import { memscanCli } from "./memscan-cli.js";

interface Row {
  id: string;
  insertCount: number;
  control: boolean;
  rank: number | null;
  references: number;
  exposureInterpolated: number | null;
  exposureExtrapolated: number | null;
  exposureExtrapolatedRaw?: number | null;
}

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const references = Number(arg("references", "1000"));
const models = arg("models", "overfit,mild,base").split(",");
const out = arg("out", join(ROOT, "reports/lab"));
const runs = arg("runs", "")
  .split(",")
  .filter((r) => r !== "");

/** −log2 Φ(z) of the secret under a normal fitted to the references, capped at log2 |space| (the lab's estimator). */
function normalFitExposure(e: {
  secretPerplexity: number;
  referencePerplexities: number[];
  spaceBits: number;
}) {
  const r = e.referencePerplexities;
  const m = r.reduce((s, x) => s + x, 0) / r.length;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / r.length);
  return Math.min(e.spaceBits, -logNormalCdf((e.secretPerplexity - m) / sd) / Math.LN2);
}

const key = (insertCount: number, control: boolean) => (control ? "control" : String(insertCount));
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);
const f = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(2));

interface TruthCanary {
  canary_id: string;
  insert_count: number;
  exposure_normal_fit: number;
}
const truth = JSON.parse(readFileSync(join(LAB_DIR, "results/torch_eval.json"), "utf8")) as {
  models: Record<string, { canaries: TruthCanary[] }>;
};

if (!HAS_LAB) {
  console.error(`exposure-lab: the lab is not at ${LAB_DIR}; set MEMSCAN_LAB`);
  process.exit(2);
}
for (const [i, model] of models.entries()) {
  const args = runs[i]
    ? ["canary", "exposure", "--resume", runs[i]!, "--json", "--no-progress"]
    : [
        "canary",
        "exposure",
        "--target",
        "gguf",
        "--model",
        join(LAB_DIR, `models/${model}.gguf`),
        "--manifest",
        join(LAB_DIR, "data/canaries.jsonl"),
        "--references",
        String(references),
        "--out",
        out,
        "--json",
        "--no-progress",
      ];
  const started = Date.now();
  const res = await memscanCli(args);
  if (res.code !== 0) throw new Error(`memscan exited ${res.code}: ${res.stderr}`);
  const result = JSON.parse(res.stdout) as { runDir: string; canaries: Row[] };
  const seconds = (Date.now() - started) / 1000;
  const calls = result.canaries.reduce((s, r) => s + r.references + 1, 0);
  console.log(
    `\n## ${model}: ${result.canaries.length} canaries, N = ${result.canaries[0]?.references} references, ${calls} candidates ${runs[i] ? "(re-read)" : `in ${seconds.toFixed(0)} s (${(calls / seconds).toFixed(1)}/s)`}; run ${result.runDir}`,
  );
  console.log(`   memscan ${args.join(" ")}`);
  const normal = new Map<string, number>();
  for (const line of readFileSync(join(result.runDir, "events.jsonl"), "utf8").trim().split("\n")) {
    const e = JSON.parse(line);
    if (e.type === "canary.exposure" && e.secretPerplexity !== undefined)
      normal.set(e.canaryId, normalFitExposure(e));
  }
  const groups = new Map<string, Row[]>();
  for (const r of result.canaries)
    groups.set(key(r.insertCount, r.control), [...(groups.get(key(r.insertCount, r.control)) ?? []), r]);
  const lab = new Map<string, number[]>();
  for (const c of truth.models[model]?.canaries ?? []) {
    const k = key(c.insert_count, c.insert_count === 0);
    lab.set(k, [...(lab.get(k) ?? []), c.exposure_normal_fit]);
  }
  console.log(
    "| copies | canaries | mean interpolated | mean extrapolated | per canary extrapolated (uncapped) | normal fit, our scores | lab (normal fit) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [k, rows] of [...groups].sort((a, b) =>
    a[0] === "control" ? -1 : b[0] === "control" ? 1 : Number(a[0]) - Number(b[0]),
  )) {
    const interp = mean(rows.map((r) => r.exposureInterpolated ?? Number.NaN));
    const extrap = mean(rows.map((r) => r.exposureExtrapolated ?? Number.NaN));
    const each = rows
      .map(
        (r) => `${f(r.exposureExtrapolated ?? Number.NaN)} (${f(r.exposureExtrapolatedRaw ?? Number.NaN)})`,
      )
      .join(", ");
    const labVals = lab.get(k) ?? [];
    const ours = rows.map((r) => normal.get(r.id) ?? Number.NaN);
    console.log(
      `| ${k} | ${rows.length} | ${f(interp)} | ${f(extrap)} | ${each} | ${ours.map(f).join(", ")} (mean ${f(mean(ours))}) | ${labVals.map(f).join(", ")} (mean ${f(mean(labVals))}) |`,
    );
  }
  const unplanted = result.canaries.filter((r) => r.control);
  console.log(
    `   controls: mean interpolated ${f(mean(unplanted.map((r) => r.exposureInterpolated ?? Number.NaN)))}, all canaries mean interpolated ${f(mean(result.canaries.map((r) => r.exposureInterpolated ?? Number.NaN)))} (uniform rank predicts log2 e = 1.44)`,
  );
}
