/** The extraction section of the summary and the control flag, folded from hand-written event streams. */
import { describe, expect, it } from "vitest";
import { DEFAULT_GEN_PARAMS, emptyCapabilities, type TargetInfo } from "../../src/core/types.js";
import type { EvidenceSource, FindingKind } from "../../src/detectors/types.js";
import type { AttemptMeta } from "../../src/probes/types.js";
import {
  type AttemptEvent,
  event,
  type ReportEvent,
  type Role,
  type VerdictEvent,
} from "../../src/report/events.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { summarize } from "../../src/report/summary.js";

const info = (id: string): TargetInfo => ({
  id,
  family: "gguf",
  model: id,
  endpoint: "x",
  capabilities: emptyCapabilities(),
  notes: {},
  maxTopLogprobs: 0,
});

function attempt(role: Role, probe: string, key: string, meta: AttemptMeta): AttemptEvent {
  return event<AttemptEvent>({
    type: "attempt",
    role,
    probe,
    attempt: key,
    journalKey: `${role}:${key}`,
    mode: "completion",
    params: DEFAULT_GEN_PARAMS,
    meta,
    status: "ok",
    tries: 1,
    ms: 1,
    verdicts: 0,
  });
}

function verdict(
  role: Role,
  probe: string,
  key: string,
  finding: FindingKind,
  subject: string,
  source: EvidenceSource,
  distance = 0,
): VerdictEvent {
  const detector =
    finding === "canary"
      ? "canary"
      : finding === "pii"
        ? "pii"
        : finding === "divergence"
          ? "divergence"
          : "prefix-continuation";
  return event<VerdictEvent>({
    type: "verdict",
    role,
    probe,
    attempt: key,
    detector,
    finding,
    score: 1 - distance,
    exact: distance === 0,
    subject,
    evidence: [
      { start: 0, end: 1, excerpt: "[redacted]", sha256: "h", source, ...(distance ? { distance } : {}) },
    ],
  });
}

const canarySrc = (canaryId: string, insertCount: number, control = false): EvidenceSource => ({
  kind: "canary",
  canaryId,
  insertCount,
  control,
});

/**
 * A run around `body`, in the runner's order: each attempt's verdicts just before its `attempt` event
 * (the commit marker), wherever the test listed them.
 */
function run(...body: ReportEvent[]): ReportEvent[] {
  const key = (e: { role: Role; probe: string; attempt: string }) => `${e.role}\0${e.probe}\0${e.attempt}`;
  const verdicts = new Map<string, VerdictEvent[]>();
  for (const e of body) if (e.type === "verdict") verdicts.set(key(e), [...(verdicts.get(key(e)) ?? []), e]);
  const ordered = body.flatMap((e): ReportEvent[] =>
    e.type === "verdict" ? [] : e.type === "attempt" ? [...(verdicts.get(key(e)) ?? []), e] : [e],
  );
  return [
    event({ type: "run.started", runId: "r", memscanVersion: "0", seed: 1, plan: {}, resumed: false }),
    event({ type: "target.capabilities", role: "target", info: info("t") }),
    event({ type: "target.capabilities", role: "control", info: info("c") }),
    ...ordered,
    event({ type: "run.finished", status: "completed" }),
  ];
}

const CAN = "extraction.canary";
const canaryMeta = (canaryId: string, insertCount: number, control = false): AttemptMeta => ({
  kind: "canary",
  canaryId,
  sample: 0,
  insertCount,
  control,
});

describe("canaries by insert count", () => {
  const events = run(
    attempt("target", CAN, "canary:a:s0", canaryMeta("a", 1)),
    attempt("target", CAN, "canary:b:s0", canaryMeta("b", 1)),
    attempt("target", CAN, "canary:c:s0", canaryMeta("c", 16)),
    attempt("target", CAN, "canary:x:s0", canaryMeta("x", 0, true)),
    verdict("target", CAN, "canary:a:s0", "canary", "a", canarySrc("a", 1)),
    verdict("target", CAN, "canary:b:s0", "canary", "b", canarySrc("b", 1), 1 / 9),
    verdict("target", CAN, "canary:c:s0", "canary", "c", canarySrc("c", 16)),
    // the control canary's prompt draws c's secret: attributed to c, recorded as drawn by x
    verdict("target", CAN, "canary:x:s0", "canary", "c", canarySrc("c", 16)),
    attempt("control", CAN, "canary:a:s0", canaryMeta("a", 1)),
  );

  it("counts canaries found exactly and only nearly, per insert count, attributing by content", () => {
    const x = summarize(events).target.extraction;
    expect(x.byInsertCount).toEqual([
      { insertCount: 0, canaries: 1, exact: 0, near: 0, exactRate: 0 },
      { insertCount: 1, canaries: 2, exact: 1, near: 1, exactRate: 0.5 },
      { insertCount: 16, canaries: 1, exact: 1, near: 0, exactRate: 1 },
    ]);
    const c = x.canaries.find((s) => s.canaryId === "c")!;
    expect(c).toMatchObject({ exactAttempts: 2, drawnByOthers: ["x"], bestDistance: 0 });
    expect(x.canaries.find((s) => s.canaryId === "b")).toMatchObject({ exactAttempts: 0, nearAttempts: 1 });
    expect(x.canaries.find((s) => s.canaryId === "x")).toMatchObject({ control: true, exactAttempts: 0 });
  });

  it("renders the tables in summary.md, with the trap and the near hit spelled out", () => {
    const md = renderMarkdown({ ...summarize(events), gates: [], exitCode: 0 });
    expect(md).toContain("| target | 1 | 2 | 1 | 1 | 50.0% |");
    expect(md).toContain("`c` drawn by `x`");
    expect(md).toContain("`b` near hit only, distance 0.111");
  });
});

describe("documents, fields and divergence tails", () => {
  const P = "extraction.prefix-completion";
  const pm = (docId: string, source: string, n: number): AttemptMeta => ({
    kind: "prefix",
    docId,
    prefixLength: n,
    unit: "tokens",
    suffix: "x",
    source,
  });
  const doc = (docId: string): EvidenceSource => ({ kind: "document", docId, offset: 0 });
  const events = run(
    attempt("target", P, "p:m1:t8", pm("m1", "members.jsonl", 8)),
    attempt("target", P, "p:m2:t8", pm("m2", "members.jsonl", 8)),
    attempt("target", P, "p:m1:t32", pm("m1", "members.jsonl", 32)),
    attempt("target", P, "p:n1:t8", pm("n1", "nonmembers.jsonl", 8)),
    verdict("target", P, "p:m1:t8", "document", "m1", doc("m1")),
    verdict("target", P, "p:m2:t8", "document", "m2", doc("m2"), 0.05),
    verdict("target", P, "p:m1:t32", "pii", "email:1", { kind: "rule", rule: "email" }),
    attempt("target", "extraction.attribute", "attr:m1:email", {
      kind: "attribute",
      docId: "m1",
      field: "email",
      value: "v",
      source: "members.jsonl",
    }),
    verdict("target", "extraction.attribute", "attr:m1:email", "attribute", "m1:email", doc("m1")),
    attempt("target", "divergence.repeat-word", "r1", {
      kind: "repeat",
      word: "poem",
      template: "t",
      repeats: 4,
    }),
    attempt("target", "divergence.repeat-word", "r2", {
      kind: "repeat",
      word: "book",
      template: "t",
      repeats: 4,
    }),
    verdict("target", "divergence.repeat-word", "r1", "divergence", "divergence", {
      kind: "rule",
      rule: "divergence",
    }),
    verdict("target", "divergence.repeat-word", "r1", "pii", "ssn:1", { kind: "rule", rule: "ssn" }),
    verdict("target", "divergence.repeat-word", "r1", "canary", "a", canarySrc("a", 1)),
  );
  const x = summarize(events).target.extraction;

  it("gives extraction per document set and prefix length (PII in a continuation is not extraction)", () => {
    expect(x.documents).toEqual([
      {
        source: "members.jsonl",
        unit: "tokens",
        prefixLength: 8,
        attempts: 2,
        extracted: 1,
        near: 1,
        extractedRate: 0.5,
      },
      {
        source: "members.jsonl",
        unit: "tokens",
        prefixLength: 32,
        attempts: 1,
        extracted: 0,
        near: 0,
        extractedRate: 0,
      },
      {
        source: "nonmembers.jsonl",
        unit: "tokens",
        prefixLength: 8,
        attempts: 1,
        extracted: 0,
        near: 0,
        extractedRate: 0,
      },
    ]);
    expect(x.attributes).toEqual([
      { source: "members.jsonl", field: "email", attempts: 1, exact: 1, near: 0 },
    ]);
  });

  it("counts diverged generations and what their tails matched", () => {
    expect(x.divergence).toEqual([
      {
        probe: "divergence.repeat-word",
        mode: "completion",
        attempts: 2,
        diverged: 1,
        tailCanary: 1,
        tailPii: 1,
        tailDocument: 0,
      },
    ]);
  });
});

describe("findings the control reproduces", () => {
  const t = "extraction.canary";
  const pii = { kind: "rule", rule: "email" } as const;
  const events = run(
    attempt("target", t, "k1", canaryMeta("a", 4)),
    attempt("target", t, "k2", canaryMeta("b", 4)),
    attempt("target", t, "k3", canaryMeta("c", 4)),
    attempt("target", "extraction.sampling", "s1", { kind: "sampling", prompt: "", sample: 0 }),
    attempt("control", t, "k1", canaryMeta("a", 4)),
    attempt("control", t, "k2", canaryMeta("b", 4)),
    attempt("control", t, "k3", canaryMeta("c", 4)),
    attempt("control", "extraction.sampling", "s1", { kind: "sampling", prompt: "", sample: 0 }),
    verdict("target", t, "k1", "canary", "a", canarySrc("a", 4)),
    verdict("control", t, "k1", "canary", "a", canarySrc("a", 4)),
    verdict("target", t, "k2", "canary", "b", canarySrc("b", 4)),
    verdict("control", t, "k2", "canary", "b", canarySrc("b", 4), 0.1),
    verdict("target", t, "k3", "canary", "c", canarySrc("c", 4), 0.2),
    verdict("control", t, "k3", "canary", "c", canarySrc("c", 4), 0.1),
    verdict("target", "extraction.sampling", "s1", "pii", "email:abc", pii),
    verdict("control", "extraction.sampling", "s1", "pii", "email:abc", pii),
  );
  const s = summarize(events);
  const f = (subject: string) => s.target.findings.find((x) => x.subject === subject)!;

  it("flags a finding only when the control matched it at least as closely, for every kind", () => {
    expect(f("a")).toMatchObject({ exact: true, controlReproduced: true, controlCount: 1 });
    expect(f("b")).toMatchObject({ exact: true, controlReproduced: false, controlCount: 1 });
    expect(f("c")).toMatchObject({ exact: false, controlReproduced: true });
    expect(f("email:abc")).toMatchObject({ kind: "pii", controlReproduced: true });
  });

  it("leaves reproduced findings out of the gate metrics", () => {
    expect(s.metrics.findings).toBe(1); // b
    expect(s.metrics["canary-leaks"]).toBe(1);
    expect(s.metrics["near-findings"]).toBe(0);
  });
});
