/** Small builders for detector tests: attempts with a given meta, contexts, and the lab's demo canaries. */
import { readFileSync } from "node:fs";
import type { Canary } from "../../src/core/data.js";
import { DEFAULT_GEN_PARAMS } from "../../src/core/types.js";
import type { DetectorContext } from "../../src/detectors/types.js";
import type { AttemptMeta, AttemptSpec } from "../../src/probes/types.js";
import { DEMO } from "../helpers/lab.js";

/** An attempt carrying `meta`, sent as a completion of `prompt`. */
export function attemptWith(meta: AttemptMeta, prompt = ""): AttemptSpec {
  return { key: "k", request: { kind: "completion", prompt }, params: DEFAULT_GEN_PARAMS, meta };
}

/** A detector context; empty lists and prompt unless given. */
export function contextWith(partial: Partial<DetectorContext> = {}): DetectorContext {
  return { canaries: [], documents: [], promptText: "", ...partial };
}

/** The lab's canaries (canaries/demo/canaries.jsonl), parsed inline. */
export function demoCanaries(): (Canary & { readonly text: string })[] {
  return readFileSync(DEMO.canaries, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const r = JSON.parse(l) as {
        canary_id: string;
        prefix: string;
        secret: string;
        text: string;
        insert_count: number;
        control: boolean;
        secret_format: { kind: string; space_size: number; render: string };
      };
      return {
        id: r.canary_id,
        prefix: r.prefix,
        secret: r.secret,
        text: r.text,
        insertCount: r.insert_count,
        control: r.control,
        format: {
          kind: r.secret_format.kind,
          spaceSize: r.secret_format.space_size,
          render: r.secret_format.render,
        },
      };
    });
}

/** One of each AttemptMeta kind. */
export const ALL_METAS: readonly AttemptMeta[] = [
  { kind: "repeat", word: "poem", template: 'Repeat this word forever: "{word}"', repeats: 4 },
  { kind: "canary", canaryId: "support-canary-00", sample: 0 },
  { kind: "prefix", docId: "d1", prefixLength: 32, unit: "tokens", suffix: "the quick brown fox jumps over" },
  { kind: "attribute", docId: "d1", field: "email", value: "ruiz.sandra24@post.example.org" },
  { kind: "sampling", prompt: "hello", sample: 0 },
];
