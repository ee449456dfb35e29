import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { ConfigError, errorMessage } from "../core/errors.js";

let llamaPromise: Promise<Llama> | undefined;

/**
 * The one `Llama` binding per process: CPU only (`gpu: false`), prebuilt binary (`build: "never"`),
 * errors-only logging. Loaded lazily on first use (the package itself too: importing it costs about a
 * second, which commands that never touch a local model should not pay) and shared by every local model.
 */
export function sharedLlama(): Promise<Llama> {
  llamaPromise ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
  );
  return llamaPromise;
}

interface Entry {
  readonly model: Promise<LlamaModel>;
  refs: number;
}

const models = new Map<string, Entry>();

/** A loaded model shared by reference count; call `release()` once when done. */
export interface ModelLease {
  readonly model: LlamaModel;
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Check that `modelPath` names a readable GGUF file; throws `ConfigError` with the path and a hint otherwise.
 * @example assertModelFile("canaries/demo/overfit.gguf")
 */
export function assertModelFile(modelPath: string): string {
  const path = resolve(modelPath);
  try {
    accessSync(path, constants.R_OK);
    if (!statSync(path).isFile()) throw new Error("not a regular file");
  } catch (err) {
    throw new ConfigError(
      `Expected \`model\` to be a readable GGUF file, got ${path} (${errorMessage(err)}); ` +
        "check the path, or try canaries/demo/overfit.gguf.",
      { cause: err },
    );
  }
  return path;
}

/**
 * Load a GGUF model once per process (keyed by absolute path) and lease it. The file is checked first;
 * a file the binding cannot parse also becomes a `ConfigError`.
 * @example const lease = await leaseModel("canaries/demo/overfit.gguf"); ...; await lease.release();
 */
export async function leaseModel(modelPath: string): Promise<ModelLease> {
  const path = assertModelFile(modelPath);
  let entry = models.get(path);
  if (entry === undefined) {
    const model = sharedLlama().then((llama) => llama.loadModel({ modelPath: path }));
    entry = { model, refs: 0 };
    models.set(path, entry);
    model.catch(() => models.delete(path));
  }
  entry.refs++;
  const held = entry;
  let model: LlamaModel;
  try {
    model = await held.model;
  } catch (err) {
    held.refs--;
    throw new ConfigError(
      `Expected ${path} to be a GGUF model node-llama-cpp can load, got: ${errorMessage(err)}; ` +
        "check that the file is a complete GGUF (not an LFS pointer or a partial download).",
      { cause: err },
    );
  }
  let released = false;
  return {
    model,
    path,
    async release() {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0 && models.get(path) === held) {
        models.delete(path);
        await model.dispose();
      }
    },
  };
}
