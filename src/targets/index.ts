import type { TargetSpec } from "../core/target-spec.js";
import type { Target, TargetFamily } from "../core/types.js";
import { ggufTarget } from "./gguf.js";
import { hfTarget } from "./hf.js";
import { openaiTarget } from "./openai.js";

/** Registered target families (one file each). */
export const TARGETS = [openaiTarget, hfTarget, ggufTarget] as const;

export interface ConnectOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Connect to a target from a validated spec: the family probes the endpoint's capabilities by cheap
 * calls and records them in `info`.
 */
export async function connectTarget(spec: TargetSpec, opts: ConnectOptions = {}): Promise<Target> {
  switch (spec.family) {
    case "openai": {
      const apiKey = spec.apiKey ?? (spec.apiKeyEnv ? process.env[spec.apiKeyEnv] : undefined);
      return openaiTarget.connect({
        model: spec.model,
        ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...((spec.timeoutMs ?? opts.timeoutMs) ? { timeoutMs: spec.timeoutMs ?? opts.timeoutMs } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
    case "hf": {
      const token = spec.token ?? (spec.tokenEnv ? process.env[spec.tokenEnv] : undefined);
      return hfTarget.connect({
        ...(spec.model ? { model: spec.model } : {}),
        ...(spec.endpointUrl ? { endpointUrl: spec.endpointUrl } : {}),
        ...(spec.provider ? { provider: spec.provider } : {}),
        ...(token ? { token } : {}),
        ...((spec.timeoutMs ?? opts.timeoutMs) ? { timeoutMs: spec.timeoutMs ?? opts.timeoutMs } : {}),
      });
    }
    case "gguf":
      return ggufTarget.connect({
        model: spec.model,
        ...(spec.contextSize ? { contextSize: spec.contextSize } : {}),
      });
  }
}

export function targetFamilies(): readonly { family: TargetFamily; summary: string }[] {
  return TARGETS.map((t) => ({ family: t.family, summary: t.summary }));
}
