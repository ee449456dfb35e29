import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { writeFileAtomic } from "../../core/fs.js";
import { attackById } from "../../mia/attack-set.js";
import { ATTACKS, DEFAULT_MIN_K } from "../../mia/attacks/index.js";
import {
  type LogprobsRecord,
  readLogprobsFile,
  type ScoresLine,
  scoresLine,
} from "../../mia/offline-format.js";
import type { AttackNeed, MiaAttack } from "../../mia/types.js";

interface ScoreArgs {
  logprobs: string;
  attacks?: string[];
  k: number;
  out?: string;
}

/** `--attacks loss,zlib --attacks min-k` → ["loss", "zlib", "min-k"]. */
export function attackList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const ids = values.flatMap((v) => String(v).split(",")).map((s) => s.trim());
  return [...new Set(ids.filter((s) => s !== ""))];
}

/**
 * The registered attacks with Min-K% and Min-K%++ built at `k` (ids `min-k-<percent>` and
 * `min-k-plus-plus-<percent>` unless k = 0.2), each with the registry id it stands for.
 */
export function offlineAttacks(k: number = DEFAULT_MIN_K): { base: string; attack: MiaAttack }[] {
  if (!(k > 0 && k <= 1))
    throw new ConfigError(`Expected --k to be a fraction in (0, 1], got ${k}; e.g. 0.2`);
  return ATTACKS.map((a) => ({ base: a.id, attack: attackById(a.id, k) ?? a }));
}

/**
 * The attacks `--attacks` names (all when none), in the order given. An id is a registry id (`min-k`) or the
 * id at the chosen k (`min-k-10` with `--k 0.1`).
 *
 * @throws ConfigError listing the known ids
 */
export function selectAttacks(ids: readonly string[] | undefined, k: number = DEFAULT_MIN_K): MiaAttack[] {
  const known = offlineAttacks(k);
  if (ids === undefined || ids.length === 0) return known.map((a) => a.attack);
  const picked = ids.map((id) => {
    const hit = known.find((a) => a.attack.id === id || a.base === id);
    if (!hit)
      throw new ConfigError(
        `Expected --attacks among ${known.map((a) => a.attack.id).join(", ")}, got \`${id}\``,
      );
    return hit.attack;
  });
  return [...new Set(picked)];
}

/**
 * Every attack's score for one logprobs record. An attack whose inputs the line lacks scores null; zlib
 * needs the text, so it is null on a line without `text`.
 */
export function scoreRecord(record: LogprobsRecord, attacks: readonly MiaAttack[]): ScoresLine {
  const scores: Record<string, number | null> = {};
  const approximate: string[] = [];
  for (const attack of attacks) {
    const r = attack.id === "zlib" && !record.hasText ? null : attack.scoreDetailed(record.input);
    scores[attack.id] = r?.score ?? null;
    if (r?.approximate) approximate.push(attack.id);
  }
  return {
    id: record.id,
    ...(record.label ? { label: record.label } : {}),
    ...(record.path ? { path: record.path } : {}),
    scores,
    ...(approximate.length ? { approximate } : {}),
  };
}

const NEED_FIELDS: Record<AttackNeed, string> = {
  reference: '"reference"',
  lowercase: '"lowercase"',
  perturbations: '"perturbed"',
  moments: '"moments" or "top" on tokens',
};

/** Why an attack could score no record at all, for the stderr note. */
function missingNeeds(attack: MiaAttack): string {
  if (attack.id === "zlib") return 'it needs "text" and uncensored tokens';
  const fields = attack.needs.map((n) => NEED_FIELDS[n]);
  if (attack.id === "spv") fields.push('"referencePerturbed"');
  return fields.length ? `it needs ${fields.join(", ")}` : "no line has an uncensored token";
}

export const miaScoreCommand: CommandModule<object, ScoreArgs> = {
  command: "score <logprobs>",
  describe: "Offline: attack scores from per-token logprobs (JSONL) computed elsewhere",
  builder: (y: Argv) =>
    y
      .usage(
        "$0 mia score <logprobs.jsonl> [options]\n\n" +
          "Run the membership-inference attacks on per-token log-probabilities computed elsewhere (or saved by " +
          "`memscan mia --save-logprobs`), without a model. Each input line is one text: its id, optional label " +
          '(member | non-member), optional text, and its scored tokens ("tokens" or the "logprobs" shorthand; ' +
          "the first token of the text, which has no context, left out), plus optional reference-model, " +
          "lowercased and perturbed scores. Writes one scores line per input line (id, label, attack → score, " +
          "higher = more likely a member; null when the line lacks what the attack needs), the input of " +
          "`memscan mia metrics`. Formats: README.md, section Offline MIA formats.",
      )
      .positional("logprobs", {
        type: "string",
        demandOption: true,
        describe: "Logprobs file: one JSON record per line",
      })
      .option("attacks", {
        type: "string",
        array: true,
        describe: `Attacks to run, comma-separated or repeated: ${ATTACKS.map((a) => a.id).join(", ")}`,
        defaultDescription: "all",
      })
      .option("k", {
        type: "number",
        default: DEFAULT_MIN_K,
        describe:
          "Fraction of lowest-scoring tokens Min-K% and Min-K%++ average (in (0, 1]); other than 0.2 the ids become min-k-<percent>, min-k-plus-plus-<percent>",
      })
      .option("out", {
        type: "string",
        describe: "Write the scores file here instead of stdout",
      })
      .example(
        "$0 mia score logprobs.jsonl --out scores.jsonl",
        "Every attack; then: memscan mia metrics scores.jsonl",
      )
      .example(
        "$0 mia score logprobs.jsonl --attacks loss,zlib,min-k --k 0.1",
        "Three attacks, Min-K% over the lowest 10% of tokens, to stdout",
      ) as Argv<ScoreArgs>,
  handler: async (args) => {
    let attacks: MiaAttack[];
    try {
      attacks = selectAttacks(attackList(args.attacks), args.k);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`Invalid --k ${args.k}: ${errorMessage(err)}`, { cause: err });
    }
    if (args.out !== undefined && resolve(args.out) === resolve(args.logprobs))
      throw new ConfigError(
        `Expected --out to differ from the input ${args.logprobs}; it would be overwritten`,
      );
    const lines: string[] = [];
    const counts = { member: 0, "non-member": 0, unlabelled: 0 };
    const scored = new Set<string>();
    for await (const record of readLogprobsFile(args.logprobs)) {
      const line = scoreRecord(record, attacks);
      for (const [id, s] of Object.entries(line.scores)) if (s !== null) scored.add(id);
      counts[record.label ?? "unlabelled"]++;
      lines.push(scoresLine(line));
    }
    if (lines.length === 0)
      throw new ConfigError(`Expected records in ${args.logprobs}, found none (one JSON object per line)`);
    for (const a of attacks)
      if (!scored.has(a.id))
        process.stderr.write(`memscan: note: ${a.id} scored no record (${missingNeeds(a)})\n`);
    const text = `${lines.join("\n")}\n`;
    if (args.out === undefined) {
      process.stdout.write(text);
      return;
    }
    await writeFileAtomic(args.out, text);
    const labels = [
      `${counts.member} members`,
      `${counts["non-member"]} non-members`,
      ...(counts.unlabelled ? [`${counts.unlabelled} unlabelled`] : []),
    ];
    process.stdout.write(
      `scored ${lines.length} records (${labels.join(", ")}) with ${attacks.length} attacks -> ${args.out}\n` +
        `next: memscan mia metrics ${args.out}\n`,
    );
  },
};
