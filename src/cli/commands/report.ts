import type { Argv, CommandModule } from "yargs";
import { REPORT_FORMATS, type ReportFormat } from "../../core/config.js";
import { writeFileAtomic } from "../../core/fs.js";
import { diffRuns } from "../../report/diff/compare.js";
import { splitGates } from "../../report/diff/gates.js";
import { renderFormat } from "../../report/formats.js";
import { buildReportModel, savedGates } from "../../report/model.js";
import { readEvents } from "../../report/read.js";
import { outcome } from "../exit.js";

interface ReportArgs {
  run: string;
  format: ReportFormat;
  "fail-on"?: string[];
  out?: string;
  reveal?: boolean;
  baseline?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <run>",
  describe: "Re-render a finished (or interrupted) run from its event log: md, json, html, junit or sarif",
  builder: (y: Argv) =>
    y
      .positional("run", { type: "string", demandOption: true, describe: "Run folder (or its events.jsonl)" })
      .option("format", {
        choices: REPORT_FORMATS,
        default: "md" as const,
        describe:
          "md (summary), json (summary.json), html (self-contained page with charts), junit (XML), sarif (2.1.0)",
      })
      .option("fail-on", {
        type: "string",
        array: true,
        describe: "Gates to evaluate (default: the run's own); regression gates need --baseline",
      })
      .option("baseline", {
        type: "string",
        describe: "Earlier run to compare with: adds the changes to html, regression gates to junit/sarif",
      })
      .option("reveal", {
        type: "boolean",
        describe: "Show raw leaked text (only a run scanned with --reveal has it); default masked",
      })
      .option("out", {
        type: "string",
        describe: "Write to this file instead of stdout",
      })
      .example(
        "$0 report reports/20261122T101500Z-ab12cd --format html --out report.html",
        "Write the HTML report",
      )
      .example(
        "$0 report reports/<run> --format sarif --out results.sarif",
        "SARIF for code scanning",
      ) as Argv<ReportArgs>,
  handler: async (args) => {
    const events = await readEvents(args.run);
    const gates = splitGates(args["fail-on"] ?? savedGates(events));
    const model = buildReportModel(events, { gates: gates.scan, reveal: args.reveal === true });
    const diff = args.baseline ? diffRuns(await readEvents(args.baseline), events, gates.diff) : undefined;
    const text = renderFormat(args.format, model, diff ? { diff } : {});
    if (args.out) await writeFileAtomic(args.out, text);
    else process.stdout.write(text);
    outcome.code = model.summary.exitCode === 0 && diff?.exitCode === 1 ? 1 : model.summary.exitCode;
  },
};
