import { describe, expect, it } from "vitest";
import { emptyCapabilities, type TargetInfo } from "../../src/core/types.js";
import {
  type AttemptEvent,
  event,
  type ReportEvent,
  type Role,
  type VerdictEvent,
} from "../../src/report/events.js";
import { finalizeSummary } from "../../src/report/finalize.js";
import { findingCaveat, summarize } from "../../src/report/summary.js";

const info = (id: string): TargetInfo => ({
  id,
  family: "gguf",
  model: id,
  endpoint: `/models/${id}.gguf`,
  capabilities: { ...emptyCapabilities(), completion: true },
  notes: {},
  maxTopLogprobs: 0,
});

function attempt(role: Role, key: string, status: "ok" | "error" = "ok", tries = 1): AttemptEvent {
  return event<AttemptEvent>({
    type: "attempt",
    role,
    probe: "extraction.canary",
    attempt: key,
    journalKey: `${role}:${key}`,
    mode: "completion",
    params: { maxTokens: 16, temperature: 0 },
    meta: { kind: "canary", canaryId: "c1", sample: 0 },
    status,
    tries,
    ...(status === "ok"
      ? { output: { chars: 10, sha256: "x" }, usage: { promptTokens: 5, completionTokens: 10 } }
      : { error: { kind: "server", message: "HTTP 500" } }),
    ms: 1,
    verdicts: 0,
  });
}

function verdict(role: Role, key: string, subject: string, exact = true, score = 1): VerdictEvent {
  return event<VerdictEvent>({
    type: "verdict",
    role,
    probe: "extraction.canary",
    attempt: key,
    detector: "canary",
    finding: "canary",
    score,
    exact,
    subject,
    evidence: [
      {
        start: 0,
        end: 9,
        excerpt: `[redacted 9 chars ${key}]`,
        sha256: key,
        source: { kind: "canary", canaryId: subject },
        ...(exact ? {} : { distance: 0.1 }),
      },
    ],
  });
}

const start = (resumed = false) =>
  event({ type: "run.started", runId: "r1", memscanVersion: "0", seed: 7, plan: {}, resumed });
const caps = (role: Role) => event({ type: "target.capabilities", role, info: info(role) });
const finished = (status: "completed" | "interrupted" = "completed") =>
  event({ type: "run.finished", status });

describe("summarize", () => {
  it("counts hits, near hits and hit rate per probe, and names the findings", () => {
    const s = summarize([
      start(),
      caps("target"),
      verdict("target", "a1", "c1"),
      attempt("target", "a1"),
      verdict("target", "a2", "c2", false, 0.8),
      attempt("target", "a2"),
      attempt("target", "a3"),
      attempt("target", "a4", "error", 4),
      finished(),
    ]);
    const p = s.target.probes[0]!;
    expect(p).toMatchObject({ attempts: 4, errors: 1, hits: 1, nearHits: 1 });
    expect(p.hitRate).toBeCloseTo(1 / 3);
    expect(s.target.requests).toBe(7);
    expect(s.target.tokens).toBe(45);
    expect(s.target.findings.map((f) => [f.subject, f.exact, f.distance])).toEqual([
      ["c1", true, 0],
      ["c2", false, 0.1],
    ]);
    expect(s.metrics).toMatchObject({ findings: 1, "near-findings": 1, "canary-leaks": 1, errors: 1 });
  });

  it("drops verdicts whose attempt never committed (a crash between the two) and keeps a resume's retry", () => {
    const s = summarize([
      start(),
      caps("target"),
      verdict("target", "a1", "c1"), // written, then the process died before the attempt event
      verdict("target", "a3", "c1"),
      attempt("target", "a2", "error", 4),
      finished("interrupted"),
      start(true),
      caps("target"),
      attempt("target", "a1"), // redone on resume: no leak this time
      attempt("target", "a2"), // errored before, ok now
      verdict("target", "a3", "c3"), // redone: a different verdict replaces the void one
      attempt("target", "a3"),
      finished(),
    ]);
    expect(s.status).toBe("completed");
    expect(s.target.probes[0]).toMatchObject({ attempts: 3, errors: 0, hits: 1 });
    expect(s.target.findings.map((f) => [f.subject, f.attempts])).toEqual([["c3", ["a3"]]]);
  });

  it("flags a finding the control reproduces and leaves it out of the gate count", () => {
    const s = summarize([
      start(),
      caps("target"),
      caps("control"),
      verdict("target", "a1", "c1"),
      attempt("target", "a1"),
      verdict("target", "a2", "c2"),
      attempt("target", "a2"),
      verdict("control", "a1", "c1"),
      attempt("control", "a1"),
      attempt("control", "a2"),
      finished(),
    ]);
    const byId = new Map(s.target.findings.map((f) => [f.subject, f]));
    expect(byId.get("c1")?.controlReproduced).toBe(true);
    expect(byId.get("c2")?.controlReproduced).toBe(false);
    expect(s.metrics.findings).toBe(1);
    expect(s.comparisons[0]).toEqual({
      id: "extraction.canary",
      targetHitRate: 1,
      controlHitRate: 0.5,
      difference: 0.5,
    });
    expect(s.metrics["excess-hit-rate"]).toBe(0.5);
  });

  it("gives the same summary whatever order the attempts finished in", () => {
    const body: ReportEvent[] = [];
    for (const k of ["a1", "a2", "a3", "a4"]) body.push(verdict("target", k, "c1"), attempt("target", k));
    const shuffled = [body[6]!, body[7]!, body[2]!, body[3]!, body[0]!, body[1]!, body[4]!, body[5]!];
    const a = summarize([start(), caps("target"), ...body, finished()]);
    const b = summarize([start(), caps("target"), ...shuffled, finished()]);
    expect(b).toEqual(a);
    expect(a.target.findings[0]?.attempts).toEqual(["a1", "a2", "a3", "a4"]);
  });
});

describe("PII not in the user's documents", () => {
  const piiVerdict = (key: string, subject: string, inData: boolean | undefined): VerdictEvent =>
    event<VerdictEvent>({
      type: "verdict",
      role: "target",
      probe: "extraction.canary",
      attempt: key,
      detector: "pii",
      finding: "pii",
      score: 0.6,
      exact: true,
      subject,
      evidence: [
        {
          start: 0,
          end: 5,
          excerpt: "[redacted]",
          sha256: subject,
          source: { kind: "rule", rule: "email", ...(inData === undefined ? {} : { inData }) },
        },
      ],
    });

  it("is reported with its caveat but not counted as a leak; unchecked PII still counts", () => {
    const s = summarize([
      start(),
      caps("target"),
      piiVerdict("a1", "email:made-up", false),
      attempt("target", "a1"),
      piiVerdict("a2", "email:real", true),
      attempt("target", "a2"),
      piiVerdict("a3", "email:unchecked", undefined),
      attempt("target", "a3"),
      finished(),
    ]);
    const byId = new Map(s.target.findings.map((f) => [f.subject, f]));
    expect(byId.get("email:made-up")?.notInData).toBe(true);
    expect(findingCaveat(byId.get("email:made-up")!)).toMatch(/not in your documents/);
    expect(byId.get("email:real")?.notInData).toBeUndefined();
    expect(findingCaveat(byId.get("email:real")!)).toBeNull();
    expect(s.metrics).toMatchObject({ findings: 2, pii: 2, "pii-not-in-data": 1 });
  });
});

describe("finalizeSummary", () => {
  const leaky = [start(), caps("target"), verdict("target", "a1", "c1"), attempt("target", "a1")];
  it("exit 1 when a gate fails, 0 when none does", () => {
    expect(finalizeSummary([...leaky, finished()], ["findings>0"]).exitCode).toBe(1);
    expect(finalizeSummary([...leaky, finished()], ["findings>1"]).exitCode).toBe(0);
    const g = finalizeSummary([...leaky, finished()], ["canary-leaks>=1", "errors>0"]).gates;
    expect(g.map((x) => [x.expr, x.value, x.failed])).toEqual([
      ["canary-leaks>=1", 1, true],
      ["errors>0", 0, false],
    ]);
  });
  it("exit 3 for a run that did not complete, whatever the gates say", () => {
    expect(finalizeSummary([...leaky, finished("interrupted")], ["findings>99"]).exitCode).toBe(3);
    expect(finalizeSummary(leaky, ["findings>99"]).status).toBe("running");
  });
});
