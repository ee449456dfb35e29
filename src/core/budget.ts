/** Budgets across a run: what each role spent (every start, every stage) and the schedulers that enforce the rest. */
import type { ReportEvent, Role } from "../report/events.js";
import type { ScanPlan } from "./config.js";
import { Scheduler } from "./scheduler.js";

export interface Spent {
  readonly requests: number;
  readonly tokens: number;
}

/** What `role` spent in `events` (every try counts, failed ones too), over every stage of the run. */
export function spentBy(events: readonly ReportEvent[], role: Role): Spent {
  let requests = 0;
  let tokens = 0;
  for (const e of events) {
    if (e.type === "attempt" && e.role === role) {
      requests += e.tries;
      tokens += e.usage ? e.usage.promptTokens + e.usage.completionTokens : 0;
    } else if (e.type === "canary.exposure" && (e.role ?? "target") === role) {
      requests += e.requests ?? 0;
      tokens += e.tokens ?? 0;
    } else if (e.type === "mia.score") {
      const used = role === "target" || role === "reference" ? e.usage?.[role] : undefined;
      requests += used?.requests ?? (role === "target" ? e.requests : 0);
      tokens += used?.tokens ?? 0;
    }
  }
  return { requests, tokens };
}

/**
 * One scheduler per target, from a plan's limits and budgets (every stage of a run paces calls this way).
 * Budgets are for the whole run: what earlier starts spent (`spent`) is taken off them.
 */
export function schedulerFor(
  plan: Pick<
    ScanPlan,
    "concurrency" | "rpm" | "tpm" | "maxRequests" | "maxTokens" | "maxTries" | "timeoutMs"
  >,
  signal?: AbortSignal,
  spent: Spent = { requests: 0, tokens: 0 },
): Scheduler {
  const left = (budget: number | undefined, used: number) =>
    budget === undefined ? undefined : Math.max(0, budget - used);
  const maxRequests = left(plan.maxRequests, spent.requests);
  const maxTokens = left(plan.maxTokens, spent.tokens);
  return new Scheduler({
    concurrency: plan.concurrency,
    ...(plan.rpm ? { rpm: plan.rpm } : {}),
    ...(plan.tpm ? { tpm: plan.tpm } : {}),
    ...(maxRequests !== undefined ? { maxRequests } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    maxTries: plan.maxTries,
    timeoutMs: plan.timeoutMs,
    ...(signal ? { signal } : {}),
  });
}
