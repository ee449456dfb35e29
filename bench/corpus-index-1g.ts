/**
 * The 1 GB corpus index benchmark (documented in the closing note):
 *   npx tsx bench/corpus-index-1g.ts [MB] [outputs]      default 1024 MB, 10,000 outputs
 * Generates the corpus under bench/.data/ on the first run (reused afterwards).
 */
import { corpusIndexRows } from "./corpus-index.bench.js";
import { formatTable } from "./table.js";

const mb = Number(process.argv[2] ?? 1024);
const outputs = Number(process.argv[3] ?? 10_000);
const rows = await corpusIndexRows(mb, outputs, (s) => process.stderr.write(`${s}\n`));
console.log(formatTable(`corpus-index ${mb} MB, ${outputs} outputs`, rows));
process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
