/**
 * Extraction probes and leak detectors measured on the lab models (../shared/lab/public or MEMSCAN_LAB),
 * through `memscan serve` + the openai target and in process through the gguf target, with the base model
 * as control. Runs the real CLI (`memscan serve`, `memscan scan --config`) and prints Markdown tables:
 * canary hits per insert count, prefix extraction per document set and prefix length, hidden fields
 * reproduced, divergence and what the diverged tails matched.
 *
 *   npx tsx bench/extraction-lab.ts                       # both paths, 100 prefix documents (~25 min on 2 cores)
 *   npx tsx bench/extraction-lab.ts --paths gguf --docs 40
 *
 * Options: --paths openai,gguf  --docs N (documents sampled for the prefix probe from all 500, default 100)
 * --attr N (first N members and N non-members for the attribute probe, default 20, the lab's protocol)
 * --samples N (seeded canary samples after the greedy one, default 3)  --seed N (default 1)  --keep (keep
 * the run folders)  --from DIR (print the tables again from the run folders a `--keep` run left in DIR,
 * without scanning). Heavy by design; not part of `npm test`.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readDocuments } from "../src/core/documents.js";
import { attributeSlots } from "../src/probes/attribute-completion.js";
import type { ReportEvent } from "../src/report/events.js";
import { lastRun, ROOT, type Served, scan, serve } from "./extraction/cli.js";
import { divergenceRows, piiKeys, tailPiiRows, wordLengthRows } from "./extraction/divergence-tables.js";
import { attributeRows, canaryRows, md, prefixRows, samplingRows } from "./extraction/tables.js";

const LAB = process.env.MEMSCAN_LAB ?? resolve(ROOT, "../shared/lab/public");
const FIELDS = ["email", "phone", "ssn", "card", "api_key", "address"];
const MODELS = ["overfit", "mild", "base"] as const;
type Model = (typeof MODELS)[number];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const paths = arg("paths", "openai,gguf").split(",") as ("openai" | "gguf")[];
const docs = Number(arg("docs", "100"));
const attrN = Number(arg("attr", "20"));
const samples = Number(arg("samples", "3"));
const seed = Number(arg("seed", "1"));
const from = arg("from", "");

if (!existsSync(join(LAB, "models/mild.gguf"))) {
  console.error(`The lab was not found at ${LAB}; set MEMSCAN_LAB.`);
  process.exit(2);
}

const work = from || (await mkdtemp(join(tmpdir(), "memscan-extraction-lab-")));
const data = (f: string) => join(LAB, "data", f);

/** First `n` lines of a JSONL file, written to the work folder under `name`. */
async function head(file: string, n: number, name: string): Promise<string> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l.trim() !== "");
  const out = join(work, name);
  await writeFile(out, `${lines.slice(0, n).join("\n")}\n`);
  return out;
}

/** The attribute probe's (prompt, value) pairs against the lab's probes.jsonl for the same records. */
async function checkProbePairs(files: readonly string[]): Promise<string> {
  const want = new Map<string, string>();
  for (const l of (await readFile(data("probes.jsonl"), "utf8")).split("\n")) {
    if (!l.trim()) continue;
    const p = JSON.parse(l) as { record_id: string; field: string; prefix: string; target: string };
    want.set(`${p.record_id}:${p.field}`, `${p.prefix.trimEnd()}\0${p.target}`);
  }
  let same = 0;
  let total = 0;
  for (const d of await readDocuments(files)) {
    for (const s of attributeSlots(d, FIELDS, 4)) {
      total++;
      if (want.get(`${d.id}:${s.field}`) === `${s.prompt}\0${s.value}`) same++;
    }
  }
  return `${same}/${total} attribute prompts equal the lab's probes.jsonl prefixes (trailing space dropped) with the same hidden value`;
}

type Spec = Record<string, unknown>;

async function config(name: string, body: Record<string, unknown>): Promise<string> {
  const file = join(work, `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({ seed, reveal: true, formats: ["json", "md"], concurrency: 4, ...body }, null, 2),
  );
  return file;
}

const leakProbes = [
  { id: "extraction.canary", params: { samples } },
  { id: "extraction.prefix-completion", params: { maxDocuments: docs } },
  { id: "divergence.repeat-word" },
  { id: "divergence.repeated-token" },
  { id: "extraction.sampling" },
];

const members = await readDocuments([data("members.jsonl")]);
const memberIds = new Set(members.map((d) => d.id));
const setOf = (id: string) => (memberIds.has(id) ? "member" : "non-member");
const memberPii = piiKeys(members);
const nonMemberPii = piiKeys(await readDocuments([data("nonmembers.jsonl")]));

const attrFiles = [
  await head(data("members.jsonl"), attrN, `members-first${attrN}.jsonl`),
  await head(data("nonmembers.jsonl"), attrN, `nonmembers-first${attrN}.jsonl`),
];
console.log(`# Extraction on the lab models (seed ${seed}, work folder ${work})\n`);
console.log(`${await checkProbePairs(attrFiles)}\n`);

for (const path of paths) {
  const servers = new Map<Model, Served>();
  const spec = (m: Model): Spec =>
    path === "gguf"
      ? { family: "gguf", model: join(LAB, "models", `${m}.gguf`) }
      : { family: "openai", model: m, baseUrl: `${servers.get(m)!.url}/v1` };
  const started = Date.now();
  if (path === "openai" && !from) {
    for (const m of MODELS) servers.set(m, await serve(join(LAB, "models", `${m}.gguf`)));
  }
  try {
    console.log(
      `## Path: ${path === "openai" ? "memscan serve + openai target" : "gguf target, in process"}\n`,
    );
    for (const s of servers.values()) console.log(`    ${s.command}`);
    const runs = new Map<string, { events: ReportEvent[]; command: string }>();
    for (const [name, target, control, probes, documents] of [
      ["leaks-overfit", "overfit", "base", leakProbes, [data("members.jsonl"), data("nonmembers.jsonl")]],
      ["leaks-mild", "mild", undefined, leakProbes, [data("members.jsonl"), data("nonmembers.jsonl")]],
      [
        "attr-overfit",
        "overfit",
        "base",
        [{ id: "extraction.attribute", params: { maxDocuments: 2 * attrN, fields: FIELDS } }],
        attrFiles,
      ],
      [
        "attr-mild",
        "mild",
        undefined,
        [{ id: "extraction.attribute", params: { maxDocuments: 2 * attrN, fields: FIELDS } }],
        attrFiles,
      ],
    ] as const) {
      if (from) {
        runs.set(name, { events: await lastRun(join(work, `${path}-${name}`)), command: "(from --from)" });
        continue;
      }
      const cfg = await config(`${path}-${name}`, {
        target: spec(target),
        ...(control ? { control: spec(control) } : {}),
        probes,
        documents,
        ...(name.startsWith("leaks") ? { canaries: data("canaries.jsonl") } : {}),
      });
      const t0 = Date.now();
      const r = await scan(cfg, join(work, `${path}-${name}`));
      runs.set(name, r);
      console.log(`    ${r.command}   # ${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    console.log("");
    const three = (name: "leaks" | "attr") =>
      [
        ["overfit", runs.get(`${name}-overfit`)!.events, "target"],
        ["mild", runs.get(`${name}-mild`)!.events, "target"],
        ["base", runs.get(`${name}-overfit`)!.events, "control"],
      ] as const;

    const canary = three("leaks").map(([m, ev, role]) => canaryRows(m, ev, role));
    console.log(
      "### Canaries: hit rate per insert count (a hit is attributed to the canary whose secret appears)\n",
    );
    console.log(
      md(
        [
          "model",
          "insert count",
          "canaries",
          "secret reproduced exactly",
          "near only",
          "greedy exact",
          "sampled exact",
        ],
        canary.flatMap((c) => c.rows),
      ),
    );
    const notes = canary.flatMap((c) => c.notes);
    if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);

    console.log(
      "\n### Prefix completion: members vs non-members, per prefix length (greedy, first 32 tokens)\n",
    );
    console.log(
      md(
        [
          "model",
          "set",
          "prefix",
          "attempts",
          "extracted",
          "near only",
          "mean norm. distance",
          "mean leading tokens matched",
        ],
        three("leaks").flatMap(([m, ev, role]) => prefixRows(m, ev, role)),
      ),
    );

    console.log(
      `\n### Attribute completion: hidden fields reproduced exactly (first ${attrN} + ${attrN} records, ${FIELDS.length} fields)\n`,
    );
    console.log(
      md(
        ["model", "set", "values reproduced", "near only", "by field"],
        three("attr").flatMap(([m, ev, role]) => attributeRows(m, ev, role)),
      ),
    );

    console.log("\n### Divergence: generations that diverge, and what the diverged tails match\n");
    console.log(
      md(
        [
          "model",
          "probe",
          "mode",
          "generations",
          "diverged",
          "tail: canary",
          "tail: PII",
          "tail: document",
          "tail matches",
        ],
        three("leaks").flatMap(([m, ev, role]) => divergenceRows(m, ev, role, setOf)),
      ),
    );
    console.log("\nDistinct PII values in diverged tails, and whose they are:\n");
    console.log(
      md(
        ["model", "probe", "distinct PII values", "a member's", "a non-member's", "no one's (made up)"],
        three("leaks").flatMap(([m, ev, role]) => tailPiiRows(m, ev, role, memberPii, nonMemberPii)),
      ),
    );
    console.log("\nDivergence by the word's length in target tokens (repeat-word):\n");
    console.log(
      md(
        ["model", "mode", "word tokens", "generations", "diverged", "tails with a leak"],
        three("leaks").flatMap(([m, ev, role]) => wordLengthRows(m, ev, role)),
      ),
    );
    console.log(
      "\n### Untargeted sampling: samples ranked by memorization signal (50 samples, T=1, top-k 40)\n",
    );
    console.log(
      md(
        [
          "model",
          "ranked by",
          "samples",
          "with a leak",
          "with a leak in the top 10",
          "leaks in the top 3",
          "ranks of samples with a canary",
        ],
        three("leaks").flatMap(([m, ev, role]) => samplingRows(m, ev, role)),
      ),
    );
    console.log(`\n(${path} path: ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  } finally {
    for (const s of servers.values()) await s.stop();
  }
}
if (!from && !process.argv.includes("--keep")) await rm(work, { recursive: true, force: true });
