/**
 * `npm run bench`: runs every benchmark listed here, each printing a table with ratios against a
 * baseline measured in the same run. Add a bench by importing its module and adding it to BENCHES.
 * Pass bench names as arguments to run only those; `--name value` pairs after them are the benches' own
 * flags (e.g. `npm run bench -- mia-throughput --records 40`), not names. Exit code 1 when any goal is missed.
 */
import type { Bench } from "./bench.js";
import { corpusIndexBench } from "./corpus-index.bench.js";
import { exposureBench } from "./exposure.bench.js";
import { miaThroughputBench } from "./mia-throughput.js";
import { schedulerBench } from "./scheduler.bench.js";
import { formatTable } from "./table.js";

const BENCHES: readonly Bench[] = [schedulerBench, exposureBench, corpusIndexBench, miaThroughputBench];

const args = process.argv.slice(2);
/** Bench names: arguments that are neither a `--flag` nor the value after one (`--flag=value` has none). */
const only = args.filter((a, i) => {
  const prev = args[i - 1];
  return !a.startsWith("--") && !(prev?.startsWith("--") && !prev.includes("="));
});
let missed = 0;
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  const rows = await bench.run();
  missed += rows.filter((r) => r.pass === false).length;
  console.log(`${formatTable(bench.name, rows)}\n`);
}
process.exitCode = missed > 0 ? 1 : 0;
