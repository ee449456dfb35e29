import type { Argv, CommandModule } from "yargs";
import { type BuildOptions, type BuildSummary, buildIndex } from "../../corpus/build.js";

export interface BuildArgs {
  paths: string[];
  out: string;
  field?: string;
  "id-field"?: string;
  "min-length": number;
  kgram?: number;
  window?: number;
  "shard-mb": number;
  workers: number;
}

/** Options shared by `index build` and `index add`. */
export function sourceOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .positional("paths", {
      type: "string",
      array: true,
      demandOption: true,
      describe: "Files or folders (recursive)",
    })
    .option("field", { type: "string", describe: "JSONL field holding the text (default: text)" })
    .option("id-field", {
      type: "string",
      describe: "JSONL field holding the id (default: id, doc_id, record_id)",
    })
    .option("workers", { type: "number", default: 2, describe: "Worker threads that build shards" });
}

/** Options of a build from parsed arguments. */
export function buildOptions(
  args: Omit<BuildArgs, "paths" | "out" | "min-length" | "shard-mb"> & Partial<BuildArgs>,
  progress: boolean,
): BuildOptions {
  return {
    ...(args["min-length"] !== undefined ? { minLength: args["min-length"] } : {}),
    ...(args["shard-mb"] !== undefined ? { shardChars: Math.round(args["shard-mb"] * 1024 * 1024) } : {}),
    workers: args.workers,
    ...(args.kgram !== undefined ? { k: args.kgram } : {}),
    ...(args.window !== undefined ? { w: args.window } : {}),
    ...(args.field !== undefined ? { textField: args.field } : {}),
    ...(args["id-field"] !== undefined ? { idField: args["id-field"] } : {}),
    ...(progress
      ? {
          onProgress: (p) => {
            const mb = (n: number) => (n / 1e6).toFixed(0);
            process.stderr.write(
              `\rindex: ${p.files}/${p.filesTotal} files, ${mb(p.bytes)}/${mb(p.bytesTotal)} MB, ${p.docs} docs, ${p.shards} shards written`,
            );
          },
        }
      : {}),
  };
}

/** One line about a finished build or add. */
export function describeBuild(s: BuildSummary): string {
  const mb = s.bytesRead / 1e6;
  const size = s.manifest.shards.reduce((n, x) => n + x.bytes, 0) / 1e6;
  const skip = s.skipped.length > 0 ? `; ${s.skipped.length} file(s) already indexed, skipped` : "";
  return (
    `${s.addedDocs} documents in ${s.addedShards} new shard(s) from ${mb.toFixed(1)} MB in ${s.seconds.toFixed(1)} s ` +
    `(${(mb / Math.max(s.seconds, 1e-9)).toFixed(1)} MB/s); index ${size.toFixed(1)} MB, ${s.manifest.shards.length} shards${skip}\n`
  );
}

export const indexBuildCommand: CommandModule<object, BuildArgs> = {
  command: "build <paths..>",
  describe: "Build a corpus index of text, JSONL and gzip files or folders",
  builder: (y: Argv) =>
    sourceOptions(y)
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "Folder to write the index to (must not hold one)",
      })
      .option("min-length", {
        type: "number",
        default: 50,
        describe: "Shortest verbatim span (characters) every query must find; sets the k-gram window",
      })
      .option("kgram", { type: "number", describe: "k-gram length (default min(16, min-length))" })
      .option("window", {
        type: "number",
        describe:
          "Fingerprint every w-th k-gram of a document (default min(17, min-length - kgram + 1)); spans of kgram + window - 1 chars are guaranteed",
      })
      .option("shard-mb", {
        type: "number",
        default: 64,
        describe:
          "Characters per shard, in millions (Mi); each building worker needs about 5x this in MB, plus about 150 MB, " +
          "each query worker about 3x plus its hits; bigger shards query faster",
      })
      .example("$0 index build data/train.jsonl --field text --out train.idx", "Index a fine-tuning set")
      .example(
        "$0 index build /usr/share/doc corpus/*.txt.gz --out public.idx",
        "Folders and gzip files",
      ) as Argv<BuildArgs>,
  handler: async (args) => {
    const summary = await buildIndex(args.paths, args.out, buildOptions(args, process.stderr.isTTY === true));
    if (process.stderr.isTTY) process.stderr.write("\n");
    process.stdout.write(`index ${args.out}: ${describeBuild(summary)}`);
  },
};
