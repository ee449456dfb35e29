import type { Canary, Document } from "../../src/core/data.js";
import { Rng } from "../../src/core/rng.js";
import { type Capability, emptyCapabilities, type TargetInfo } from "../../src/core/types.js";
import type { AttemptSpec, Probe, ProbeContext } from "../../src/probes/types.js";

/** A TargetInfo with exactly these capabilities (what capability probing would have recorded). */
export function targetWith(...caps: Capability[]): TargetInfo {
  const capabilities = emptyCapabilities();
  for (const c of caps) capabilities[c] = true;
  return {
    id: `test:${caps.join("+") || "none"}`,
    family: "gguf",
    model: "test",
    endpoint: "memory",
    capabilities,
    notes: {},
    maxTopLogprobs: 0,
  };
}

export const COMPLETION_ONLY = targetWith("completion", "tokenLogprobs", "promptLogprobs", "seed");
export const CHAT_ONLY = targetWith("chat", "seed");
export const BOTH = targetWith("chat", "completion");

export const DOCS: Document[] = [
  { id: "d1", text: words(120, "alpha"), fields: { note: "x" } },
  { id: "d2", text: words(20, "beta") },
  {
    id: "rec-1",
    text: "Customer: Ada Lovelace <ada@example.org>, phone (555) 555-0101\nSSN: 123-45-6789\nNotes: none.",
    fields: { email: "ada@example.org", phone: "(555) 555-0101", ssn: "123-45-6789", name: "Ada Lovelace" },
  },
  { id: "d4", text: words(70, "gamma") },
];

export const CANARIES: Canary[] = [
  { id: "c1", prefix: "my code is", secret: "1 2 3 4 5 6 7 8 9", insertCount: 4, control: false },
  { id: "c2", prefix: "the PIN is", secret: "9 8 7 6 5 4 3 2 1", insertCount: 0, control: true },
];

/** `n` distinct words `stem0 stem1 ...` with a line break every 10 words. */
export function words(n: number, stem: string): string {
  return Array.from({ length: n }, (_, i) => `${stem}${i}${i % 10 === 9 ? "\n" : " "}`)
    .join("")
    .trimEnd();
}

export function ctxFor(target: TargetInfo, seed = 7, extra: Partial<ProbeContext> = {}): ProbeContext {
  return { target, rng: new Rng(seed, "probe"), documents: DOCS, canaries: CANARIES, ...extra };
}

/** All attempts of a probe with its defaults (or given params). */
export function run<P>(probe: Probe<P>, ctx: ProbeContext, params: unknown = {}): AttemptSpec[] {
  return [...probe.attempts(probe.parseParams(params), ctx)];
}
