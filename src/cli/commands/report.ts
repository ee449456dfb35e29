import type { Argv, CommandModule } from "yargs";
import { DEFAULT_GATE } from "../../core/config.js";
import { writeFileAtomic } from "../../core/fs.js";
import { finalizeSummary } from "../../report/finalize.js";
import { renderMarkdown } from "../../report/markdown.js";
import { readEvents } from "../../report/read.js";
import { outcome } from "../exit.js";

interface ReportArgs {
  run: string;
  format: "json" | "md";
  "fail-on"?: string[];
  out?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <run>",
  describe: "Re-render a finished (or interrupted) run from its event log",
  builder: (y: Argv) =>
    y
      .positional("run", { type: "string", demandOption: true, describe: "Run folder (or its events.jsonl)" })
      .option("format", { choices: ["json", "md"] as const, default: "md" as const })
      .option("fail-on", {
        type: "string",
        array: true,
        describe: "Gates to evaluate (default: the run's own)",
      })
      .option("out", {
        type: "string",
        describe: "Write to this file instead of stdout",
      }) as Argv<ReportArgs>,
  handler: async (args) => {
    const events = await readEvents(args.run);
    const started = events.find((e) => e.type === "run.started");
    const saved = started?.type === "run.started" ? (started.plan.failOn as string[] | undefined) : undefined;
    const summary = finalizeSummary(events, args["fail-on"] ?? saved ?? [DEFAULT_GATE]);
    const text = args.format === "json" ? `${JSON.stringify(summary, null, 2)}\n` : renderMarkdown(summary);
    if (args.out) await writeFileAtomic(args.out, text);
    else process.stdout.write(text);
    outcome.code = summary.exitCode;
  },
};
