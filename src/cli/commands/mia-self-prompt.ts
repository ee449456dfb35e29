import { createWriteStream, existsSync, readFileSync } from "node:fs";
import pLimit from "p-limit";
import type { Argv, CommandModule } from "yargs";
import { schedulerFor } from "../../core/budget.js";
import { CallTally } from "../../core/call-tally.js";
import { resolveScanPlan, type ScanFlags } from "../../core/config.js";
import { readDocuments } from "../../core/documents.js";
import { ConfigError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { selfPromptText } from "../../mia/self-prompt.js";
import { EXIT } from "../../report/finalize.js";
import { connectTarget } from "../../targets/index.js";
import { outcome } from "../exit.js";
import { progressReporter } from "../progress.js";
import { targetOptions } from "../run-options.js";

interface SelfPromptArgs extends ScanFlags {
  prompts: string[];
  out: string;
  count: number;
  promptWords: number;
  maxNewTokens: number;
  progress?: boolean;
}

function builder(y: Argv): Argv<SelfPromptArgs> {
  return targetOptions(y)
    .usage(
      '$0 mia self-prompt --prompts <domain texts> --out selfprompt.jsonl [options]\n\nSPV-MIA\'s self-prompt reference data: prompt the target with short chunks of domain text and keep what it writes, one JSONL line per text ({"i", "prompt", "text"}). Fine-tune a copy of the base model on these texts and pass it as --reference-model: a reference that knows the domain but not the members (a base model that never saw the domain calibrates badly). Use public or held-out text as prompts, never the members. Re-running with the same --out keeps the texts already written and adds the missing ones.',
    )
    .option("prompts", {
      type: "string",
      array: true,
      demandOption: true,
      describe: "Domain texts to take prompts from (JSONL with a `text` field, or text files)",
    })
    .option("out", {
      type: "string",
      demandOption: true,
      describe: "JSONL file to write (appended on re-run)",
    })
    .option("count", { type: "number", default: 1000, describe: "Texts to generate" })
    .option("prompt-words", { type: "number", default: 8, describe: "Words of a domain text in each prompt" })
    .option("max-new-tokens", { type: "number", default: 128, describe: "Tokens generated per text" })
    .option("seed", {
      type: "number",
      describe: "Seed for prompt choice and sampling",
      defaultDescription: "1",
    })
    .option("concurrency", { type: "number", describe: "Requests in flight", defaultDescription: "4" })
    .option("rpm", { type: "number", describe: "Requests per minute" })
    .option("max-requests", { type: "number", describe: "Request budget" })
    .option("progress", {
      type: "boolean",
      default: true,
      describe: "Show progress on stderr (--no-progress)",
    })
    .example(
      "$0 mia self-prompt --target openai --base-url http://127.0.0.1:8000/v1 --model ft --prompts public.jsonl --out sp.jsonl",
      "Then fine-tune the base model on sp.jsonl and run `memscan mia ... --reference-model <that model>`",
    ) as unknown as Argv<SelfPromptArgs>;
}

async function handler(args: SelfPromptArgs): Promise<void> {
  if (!Number.isInteger(args.count) || args.count < 1)
    throw new ConfigError(`Expected --count to be a positive integer, got ${args.count}`);
  const plan = resolveScanPlan(undefined, args);
  const sources = (await readDocuments(args.prompts)).map((d) => d.text).filter((t) => t.trim() !== "");
  if (sources.length === 0) throw new ConfigError(`Expected texts in ${args.prompts.join(", ")}, got none`);
  const have = new Set<number>();
  if (existsSync(args.out)) {
    for (const line of readFileSync(args.out, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const i = (JSON.parse(line) as { i?: unknown }).i;
      if (typeof i === "number") have.add(i);
    }
  }
  const todo = Array.from({ length: args.count }, (_, i) => i).filter((i) => !have.has(i));
  const target = await connectTarget(plan.target, { timeoutMs: plan.timeoutMs });
  const scheduler = schedulerFor(plan);
  const out = createWriteStream(args.out, { flags: "a" });
  const bar =
    args.progress !== false ? progressReporter(process.stderr, process.stderr.isTTY === true) : undefined;
  const rng = new Rng(plan.seed, "mia/self-prompt");
  const progress = { total: args.count, done: have.size, errors: 0, requests: 0, tokens: 0, hits: 0 };
  const tally = new CallTally((c) => {
    progress.requests += c.tries;
    progress.tokens += c.tokens;
  });
  const limit = pLimit(plan.concurrency);
  try {
    await Promise.all(
      todo.map((i) =>
        limit(async () => {
          if (tally.stop) return;
          const r = await selfPromptText(target, sources, i, {
            scheduler,
            rng,
            tally,
            promptWords: args.promptWords,
            maxTokens: args.maxNewTokens,
          });
          if (r) out.write(`${JSON.stringify({ i, ...r })}\n`);
          else progress.errors++;
          progress.done++;
          bar?.update({ ...progress });
        }),
      ),
    );
  } finally {
    bar?.done();
    await new Promise((resolve) => out.end(resolve));
    await target.close?.();
  }
  const written = progress.done - progress.errors;
  process.stdout.write(
    `${written} of ${args.count} texts in ${args.out}${progress.errors ? ` (${progress.errors} failed: re-run to retry them)` : ""}\n`,
  );
  if (tally.stop) {
    process.stderr.write(
      `memscan: stopped early (${tally.stop.reason ?? "interrupted"}); re-run the same command to finish\n`,
    );
    outcome.code = EXIT.runtime;
  }
}

export const miaSelfPromptCommand: CommandModule<object, SelfPromptArgs> = {
  command: "self-prompt",
  describe: "Generate SPV-MIA self-prompt texts from the target (to fine-tune a domain reference model)",
  builder,
  handler,
};
