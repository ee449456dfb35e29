import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../core/errors.js";
import { writeFileAtomic } from "../../core/fs.js";
import { type HistoryRow, historyRow, latestCompleted, sortHistory } from "../../report/history.js";
import { renderHistoryHtml, renderHistoryMarkdown, renderHistoryText } from "../../report/history-render.js";
import { EVENTS_FILE, readEvents } from "../../report/read.js";

interface HistoryArgs {
  folder: string;
  format: "text" | "md" | "json" | "html";
  latest?: boolean;
  target?: string;
  out?: string;
}

/** Every run folder (a child with an events.jsonl) of a reports folder; a damaged log is reported and skipped. */
async function loadRows(folder: string, warn: (msg: string) => void): Promise<HistoryRow[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    throw new ConfigError(
      `Cannot read reports folder ${folder}: expected a folder of run folders (e.g. ./reports).`,
      {
        cause: err,
      },
    );
  }
  const rows: HistoryRow[] = [];
  for (const name of names.sort()) {
    const dir = join(folder, name);
    if (!existsSync(join(dir, EVENTS_FILE))) continue;
    try {
      rows.push(historyRow(dir, await readEvents(dir)));
    } catch (err) {
      warn(`memscan: skipping ${dir}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return sortHistory(rows);
}

export const historyCommand: CommandModule<object, HistoryArgs> = {
  command: "history <folder>",
  describe: "List past runs in a reports folder with the trend of their key metrics",
  builder: (y: Argv) =>
    y
      .positional("folder", {
        type: "string",
        demandOption: true,
        describe: "Reports folder (run folders inside)",
      })
      .option("format", {
        choices: ["text", "md", "json", "html"] as const,
        default: "text" as const,
        describe: "text table, Markdown, JSON rows, or an HTML page with trend charts",
      })
      .option("latest", {
        type: "boolean",
        describe: "Print only the folder of the newest completed run (the baseline for the next scan)",
      })
      .option("target", { type: "string", describe: "Only runs of this target id (e.g. gguf:overfit)" })
      .option("out", { type: "string", describe: "Write to this file instead of stdout" })
      .example("$0 history reports", "Table of past runs, oldest first, with ▲/▼ trends")
      .example("$0 history reports --format html --out history.html", "Trend charts")
      .example(
        '$0 scan --baseline "$($0 history reports --latest)" --fail-on "new-leaks>0"',
        "Compare with the last run",
      ) as Argv<HistoryArgs>,
  handler: async (args) => {
    const all = await loadRows(args.folder, (m) => process.stderr.write(m));
    const rows = args.target ? all.filter((r) => r.target === args.target) : all;
    let text: string;
    if (args.latest) {
      const last = latestCompleted(rows);
      if (!last) {
        throw new ConfigError(
          `No completed run${args.target ? ` of ${args.target}` : ""} in ${args.folder}; run memscan scan --out ${args.folder} first.`,
        );
      }
      text = `${last.dir}\n`;
    } else if (args.format === "json") text = `${JSON.stringify(rows, null, 2)}\n`;
    else if (args.format === "md") text = renderHistoryMarkdown(rows);
    else if (args.format === "html") text = renderHistoryHtml(rows, args.folder);
    else text = `${renderHistoryText(rows)}\n`;
    if (args.out) await writeFileAtomic(args.out, text);
    else process.stdout.write(text);
  },
};
