import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../core/errors.js";
import { writeFileAtomic } from "../../core/fs.js";
import { diffRuns } from "../../report/diff/compare.js";
import { DIFF_METRICS, splitGates } from "../../report/diff/gates.js";
import { renderDiffMarkdown, renderDiffText } from "../../report/diff/render.js";
import { readEvents } from "../../report/read.js";
import { outcome } from "../exit.js";

interface DiffArgs {
  old: string;
  new: string;
  "fail-on": string[];
  format: "text" | "md" | "json";
  out?: string;
}

export const DEFAULT_DIFF_GATE = "new-leaks>0";

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: "diff <old> <new>",
  describe: "Compare two runs: what became extractable, what is gone, what moved (with bootstrap intervals)",
  builder: (y: Argv) =>
    y
      .positional("old", {
        type: "string",
        demandOption: true,
        describe: "Baseline run folder (or its events.jsonl)",
      })
      .positional("new", { type: "string", demandOption: true, describe: "Candidate run folder" })
      .option("fail-on", {
        type: "string",
        array: true,
        default: [DEFAULT_DIFF_GATE],
        describe: `Regression gate (exit 1 when met); metrics: ${DIFF_METRICS.join(", ")}`,
      })
      .option("format", {
        choices: ["text", "md", "json"] as const,
        default: "text" as const,
        describe: "Output format",
      })
      .option("out", { type: "string", describe: "Write to this file instead of stdout" })
      .example(
        "$0 diff reports/<v1-run> reports/<v2-run>",
        "What became extractable in v2 (fails on new leaks)",
      )
      .example(
        '$0 diff old new --fail-on "new-canary-leaks>0" --fail-on "auc-delta>0.05" --format md --out diff.md',
        "Gate on new canary leaks and an AUC rise of more than 0.05",
      ) as Argv<DiffArgs>,
  handler: async (args) => {
    const { scan, diff: gates } = splitGates(args["fail-on"]);
    if (scan.length) {
      throw new ConfigError(
        `Expected regression gates (${DIFF_METRICS.join(", ")}), got ${scan.map((g) => `"${g}"`).join(", ")}; scan gates belong to memscan scan or memscan report.`,
      );
    }
    const d = diffRuns(await readEvents(args.old), await readEvents(args.new), gates);
    const text =
      args.format === "json"
        ? `${JSON.stringify(d, null, 2)}\n`
        : args.format === "md"
          ? renderDiffMarkdown(d)
          : `${renderDiffText(d)}\n`;
    if (args.out) await writeFileAtomic(args.out, text);
    else process.stdout.write(text);
    outcome.code = d.exitCode;
  },
};
