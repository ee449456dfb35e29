import { randomBytes } from "node:crypto";
import { readCanaries } from "../canary/manifest.js";
import { openIndexMatcherSync } from "../corpus/query.js";
import { getProbe, PROBES } from "../probes/index.js";
import type { Probe } from "../probes/types.js";
import type { Role } from "../report/events.js";
import { connectTarget } from "../targets/index.js";
import type { ScanPlan } from "./config.js";
import type { Canary, Document } from "./data.js";
import { readDocuments } from "./documents.js";
import type { PreparedScan, ProbeRun } from "./runner.js";
import type { Target } from "./types.js";

/** A new run id: sortable by time, unique. */
export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;
}

/** Resolve and validate the probes of a plan (unknown ids and bad params are ConfigErrors). */
export function resolveProbes(plan: ScanPlan): ProbeRun[] {
  const selection = plan.probes.length ? plan.probes : PROBES.map((p) => ({ id: p.id, params: {} }));
  return selection.map(({ id, params }) => {
    const probe = getProbe(id) as Probe<unknown>;
    return { probe, params: probe.parseParams(params) };
  });
}

/**
 * Validate everything and connect to the targets before anything is written: a broken config,
 * an unreadable file, or an unreachable endpoint fails here and leaves no half-written run.
 */
export async function prepareScan(
  plan: ScanPlan,
  opts: { runId?: string; signal?: AbortSignal } = {},
): Promise<PreparedScan> {
  const probes = resolveProbes(plan);
  const documents: readonly Document[] = plan.documents.length
    ? await readDocuments([...plan.documents])
    : [];
  const canaries: readonly Canary[] = plan.canaries ? await readCanaries(plan.canaries) : [];
  const corpus = plan.corpusIndex
    ? await openIndexMatcherSync(plan.corpusIndex, {
        ...(plan.corpusIndexMemoryMb !== undefined ? { maxBytes: plan.corpusIndexMemoryMb * 2 ** 20 } : {}),
      })
    : undefined;
  const targets = new Map<Role, Target>();
  try {
    targets.set(
      "target",
      await connectTarget(plan.target, {
        timeoutMs: plan.timeoutMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    );
    for (const role of ["control", "reference"] as const) {
      const spec = plan[role];
      if (!spec) continue;
      targets.set(
        role,
        await connectTarget(spec, {
          timeoutMs: plan.timeoutMs,
          ...(opts.signal ? { signal: opts.signal } : {}),
        }),
      );
    }
  } catch (err) {
    await closeTargets(targets);
    throw err;
  }
  return {
    plan,
    runId: opts.runId ?? newRunId(),
    targets,
    probes,
    documents,
    canaries,
    ...(corpus ? { corpus } : {}),
  };
}

export async function closeTargets(targets: ReadonlyMap<Role, Target>): Promise<void> {
  await Promise.all([...targets.values()].map((t) => t.close?.()));
}
