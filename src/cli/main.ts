import yargs from "yargs";
import { errorMessage } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { canaryCommand } from "./commands/canary.js";
import { diffCommand } from "./commands/diff.js";
import { historyCommand } from "./commands/history.js";
import { indexCommand } from "./commands/index.js";
import { listCommand } from "./commands/list.js";
import { miaCommand } from "./commands/mia.js";
import { reportCommand } from "./commands/report.js";
import { scanCommand } from "./commands/scan.js";
import { serveCommand } from "./commands/serve.js";
import { exitCodeFor, outcome } from "./exit.js";

/**
 * The CLI. Returns the exit code: 0 clean, 1 findings at or over the gate, 2 usage or config error,
 * 3 runtime failure. This is the only place errors become exit codes.
 */
export async function main(argv: readonly string[]): Promise<number> {
  outcome.code = 0;
  let usageError: string | undefined;
  const cli = yargs([...argv])
    .scriptName("memscan")
    .version(VERSION)
    .command(scanCommand)
    .command(serveCommand)
    .command(canaryCommand)
    .command(miaCommand)
    .command(listCommand)
    .command(reportCommand)
    .command(diffCommand)
    .command(historyCommand)
    .command(indexCommand)
    .demandCommand(1, "Give a command; `memscan scan` scans the built-in demo model.")
    .strict()
    .recommendCommands()
    .help()
    .epilogue(
      "Exit codes: 0 clean, 1 findings at or over the gate (--fail-on), 2 usage or config error, 3 runtime failure.\n" +
        "Docs: README.md; report format: reports/README.md.",
    )
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    });
  try {
    await cli.parseAsync();
  } catch (err) {
    process.stderr.write(`memscan: ${errorMessage(err)}\n`);
    if (process.env.MEMSCAN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCodeFor(err);
  }
  if (usageError !== undefined) {
    process.stderr.write(`memscan: ${usageError}\nRun \`memscan --help\` for usage.\n`);
    return 2;
  }
  return outcome.code;
}
