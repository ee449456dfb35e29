/** Reading the files of a build: digests and documents with unique ids. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { ConfigError } from "../core/errors.js";
import type { ShardDoc } from "../match/shard-build.js";
import { readSource, type SourceDone, type SourceFile, type SourceOptions } from "./sources.js";

/** sha256 of a file, streamed. */
export async function digest(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const c of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(c as Buffer);
  return h.digest("hex");
}

/**
 * Stream the documents of `file` into `take` (awaiting it when it returns a promise: backpressure),
 * checking ids against `ids`; returns the file's digest and count.
 */
export async function readFileDocs(
  file: SourceFile,
  o: SourceOptions,
  ids: Set<string>,
  take: (d: ShardDoc) => Promise<void> | undefined,
): Promise<SourceDone> {
  const gen = readSource(file, o);
  for (;;) {
    const r = await gen.next();
    if (r.done) return r.value;
    const d = r.value;
    if (d.base === 0) {
      if (ids.has(d.id)) {
        throw new ConfigError(
          `Expected document ids to be unique, found \`${d.id}\` again in \`${file.path}\`; ` +
            "give each document its own id (or pass --id-field).",
        );
      }
      ids.add(d.id);
    }
    const p = take(d);
    if (p !== undefined) await p;
  }
}
