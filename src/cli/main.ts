import yargs, { type Argv, type CommandModule } from "yargs";
import { errorMessage } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { exitCodeFor, outcome } from "./exit.js";

/** A command whose module is imported on demand; it registers itself on a yargs instance. */
function lazy<T>(load: () => Promise<CommandModule<object, T>>): () => Promise<(y: Argv) => Argv> {
  return async () => {
    const command = await load();
    return (y) => y.command(command);
  };
}

/**
 * The commands, in help order, each loaded on demand: a run imports only its own command's modules (the
 * target SDKs and the scan engine take about 0.4 s to load, which `memscan index query` does not need).
 */
const COMMANDS: Record<string, () => Promise<(y: Argv) => Argv>> = {
  scan: lazy(async () => (await import("./commands/scan.js")).scanCommand),
  serve: lazy(async () => (await import("./commands/serve.js")).serveCommand),
  canary: lazy(async () => (await import("./commands/canary.js")).canaryCommand),
  mia: lazy(async () => (await import("./commands/mia.js")).miaCommand),
  list: lazy(async () => (await import("./commands/list.js")).listCommand),
  report: lazy(async () => (await import("./commands/report.js")).reportCommand),
  diff: lazy(async () => (await import("./commands/diff.js")).diffCommand),
  history: lazy(async () => (await import("./commands/history.js")).historyCommand),
  index: lazy(async () => (await import("./commands/index.js")).indexCommand),
};

/**
 * Register the commands `argv` needs on `y`: its command's, or all of them (top-level help, a typo, no
 * command), in help order.
 */
async function withCommands(y: Argv, argv: readonly string[]): Promise<Argv> {
  const name = argv.find((a) => !a.startsWith("-"));
  const one = name === undefined ? undefined : COMMANDS[name];
  const adders =
    one !== undefined ? [await one()] : await Promise.all(Object.values(COMMANDS).map((l) => l()));
  return adders.reduce((acc, add) => add(acc), y);
}

/**
 * The CLI. Returns the exit code: 0 clean, 1 findings at or over the gate, 2 usage or config error,
 * 3 runtime failure. This is the only place errors become exit codes.
 */
export async function main(argv: readonly string[]): Promise<number> {
  outcome.code = 0;
  let usageError: string | undefined;
  const base = yargs([...argv])
    .scriptName("memscan")
    .version(VERSION);
  const cli = (await withCommands(base, argv))
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
