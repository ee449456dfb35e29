/**
 * `npm run bench`: runs every benchmark listed here, each printing a table with ratios against a
 * baseline measured in the same run. Add a bench by importing its module and adding it to BENCHES.
 * Pass bench names as arguments to run only those. Exit code 1 when any goal is missed.
 */
import type { Bench } from "./bench.js";
import { corpusIndexBench } from "./corpus-index.bench.js";
import { exposureBench } from "./exposure.bench.js";
import { schedulerBench } from "./scheduler.bench.js";
import { formatTable } from "./table.js";

const BENCHES: readonly Bench[] = [schedulerBench, exposureBench, corpusIndexBench];

const only = process.argv.slice(2);
let missed = 0;
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  const rows = await bench.run();
  missed += rows.filter((r) => r.pass === false).length;
  console.log(`${formatTable(bench.name, rows)}\n`);
}
process.exitCode = missed > 0 ? 1 : 0;
