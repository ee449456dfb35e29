import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { aucDeltaInterval, meanDeltaInterval } from "../../src/report/diff/bootstrap.js";
import { diffRuns } from "../../src/report/diff/compare.js";
import { isDiffGate, splitGates } from "../../src/report/diff/gates.js";
import { renderDiffMarkdown, renderDiffText } from "../../src/report/diff/render.js";
import { parseScanGates } from "../../src/report/finalize.js";
import { exposureEvents, miaEvents, scanEvents } from "./fixtures.js";

const probes = ["extraction.canary", "extraction.prefix-completion"];

describe("bootstrap intervals of changes", () => {
  it("pairs attempts: identical runs give a zero-width interval, unpaired ones do not", () => {
    const a = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    expect(meanDeltaInterval(a, a, true, new Rng(1))).toEqual({ low: 0, high: 0 });
    const unpaired = meanDeltaInterval(a, a, false, new Rng(1))!;
    expect(unpaired.low).toBeLessThan(0);
    expect(unpaired.high).toBeGreaterThan(0);
  });

  it("covers a known AUC rise and excludes zero; pairing narrows it", () => {
    const r = new Rng(3);
    const noise = () => r.next() - 0.5;
    const members = Array.from({ length: 200 }, noise);
    const non = Array.from({ length: 200 }, noise);
    const s = {
      oldMembers: members,
      oldNonMembers: non,
      newMembers: members.map((x) => x + 0.3),
      newNonMembers: non,
    };
    const paired = aucDeltaInterval(s, true, new Rng(1))!;
    const unpaired = aucDeltaInterval(s, false, new Rng(1))!;
    // true AUCs: old ~0.5, new ~P(U1+0.3 > U2) = 1 - 0.7^2/2 = 0.755
    expect(paired.low).toBeGreaterThan(0.15);
    expect(paired.high).toBeLessThan(0.35);
    expect(unpaired.low).toBeGreaterThan(0.1);
    expect(paired.high - paired.low).toBeLessThan(unpaired.high - unpaired.low);
  });
});

describe("diffRuns", () => {
  const old = [
    ...scanEvents({
      runId: "old",
      probes,
      leaks: [{ subject: "canary-a" }, { subject: "canary-b", exact: false }, { subject: "canary-gone" }],
    }),
    ...exposureEvents({ mild: true }),
    ...miaEvents({ shifts: { loss: 0.5 }, textSeed: 1, seed: 1 }),
  ];
  const now = [
    ...scanEvents({
      runId: "new",
      probes,
      leaks: [
        { subject: "canary-a" },
        { subject: "canary-b" },
        { subject: "canary-new" },
        { subject: "doc-1", kind: "document", probe: "extraction.prefix-completion" },
        { subject: "doc-2", kind: "document", probe: "extraction.prefix-completion" },
        { subject: "doc-3", kind: "document", probe: "extraction.prefix-completion" },
      ],
    }),
    ...exposureEvents(),
    ...miaEvents({ shifts: { loss: 3 }, textSeed: 1, seed: 2 }),
  ];

  it("lists what became extractable, what is gone and what moved", () => {
    const d = diffRuns(old, now, ["new-leaks>0"]);
    const canaries = new Map(d.canaries.map((c) => [c.subject, c]));
    expect(canaries.get("canary-new")?.status).toBe("new");
    expect(canaries.get("canary-gone")?.status).toBe("gone");
    expect(canaries.get("canary-b")).toMatchObject({ status: "moved", note: "near → exact" });
    expect(canaries.has("canary-a")).toBe(false); // unchanged
    // exposure rose on the 1-16 copy canaries (mild-like -> overfit-like): moved, with the bits in the note
    expect(canaries.get("support-canary-08")).toMatchObject({
      status: "moved",
      note: "exposure 15.1 → 29.9 bits",
    });
    expect(canaries.get("support-canary-10")).toBeUndefined(); // a control at 0.7 in both
    expect(d.documents.map((x) => `${x.status}:${x.subject}`)).toEqual([
      "new:doc-1",
      "new:doc-2",
      "new:doc-3",
    ]);
    expect(d.diffMetrics["new-leaks"]).toBe(5); // canary-b (near -> exact), canary-new, doc-1..3
    expect(d.diffMetrics["new-canary-leaks"]).toBe(2);
    expect(d.diffMetrics["new-documents"]).toBe(3);
    expect(d.diffMetrics["gone-leaks"]).toBe(1);
    expect(d.diffMetrics["exposure-delta"]).toBeCloseTo(29.9 - 0.1, 5);
    expect(d.gates[0]).toMatchObject({ expr: "new-leaks>0", value: 5, failed: true });
    expect(d.exitCode).toBe(1);
  });

  it("gives probe hit-rate changes with paired intervals (same attempt keys)", () => {
    const d = diffRuns(old, now);
    const pc = d.probes.find((p) => p.probe === "extraction.prefix-completion")!;
    expect(pc).toMatchObject({ old: 0, new: 3 / 8, paired: true });
    // 3 hits in 8 attempts: (5/8)^8 = 2.3% of resamples have none, so the 95% interval just reaches 0
    expect(pc.low).toBe(0);
    expect(pc.high!).toBeGreaterThan(0.6);
    expect(pc.status).toBe("same");
    const leaks = Array.from({ length: 10 }, (_, i) => ({ subject: `c${i}`, attempt: `a${i}` }));
    const clear = diffRuns(scanEvents({ attempts: 10 }), scanEvents({ attempts: 10, leaks })).probes[0]!;
    expect(clear).toMatchObject({ old: 0, new: 1, delta: 1, low: 1, high: 1, status: "moved" });
  });

  it("pairs MIA records by SHA-256 and bounds the AUC change", () => {
    const d = diffRuns(old, now, ["auc-delta>0.05", "auc-delta-low>0.5"]);
    const loss = d.mia.find((m) => m.attack === "loss")!;
    expect(loss.paired).toBe(true);
    expect(loss.pairs).toBe(200);
    expect(loss.delta!).toBeGreaterThan(0.2);
    expect(loss.low!).toBeGreaterThan(0);
    expect(loss.low!).toBeLessThanOrEqual(loss.delta!);
    expect(loss.high!).toBeGreaterThanOrEqual(loss.delta!);
    expect(d.gates.map((g) => g.failed)).toEqual([true, false]);
  });

  it("falls back to an unpaired bootstrap when the record sets differ", () => {
    const other = [
      ...scanEvents({ runId: "x" }),
      ...miaEvents({ shifts: { loss: 3 }, textSeed: 9, seed: 2 }),
    ];
    const loss = diffRuns(old, other).mia.find((m) => m.attack === "loss")!;
    expect(loss.paired).toBe(false);
    expect(loss.low!).toBeGreaterThan(0);
  });

  it("passes when nothing regressed and reports unmeasured metrics as null", () => {
    const same = scanEvents({ leaks: [{ subject: "canary-a" }] });
    const d = diffRuns(same, same, ["new-leaks>0", "auc-delta>0.05"]);
    expect(d.exitCode).toBe(0);
    expect(d.diffMetrics["auc-delta"]).toBeNull();
    expect(d.gates[1]).toMatchObject({ value: null, failed: false });
    expect(d.unchanged.canary).toBe(1);
  });

  it("renders text and Markdown with every subject escaped and no control codes", () => {
    const hostile = "<img src=x onerror=alert(1)>|\u001b[31mred";
    const d = diffRuns(scanEvents({}), scanEvents({ leaks: [{ subject: hostile }] }), ["new-leaks>0"]);
    const text = renderDiffText(d);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("NEW");
    const md = renderDiffMarkdown(d);
    expect(md).not.toContain("<img");
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;\\|red");
  });
});

describe("regression gates", () => {
  it("are told apart from scan gates and validated", () => {
    expect(isDiffGate("new-leaks>0")).toBe(true);
    expect(isDiffGate("auc-delta > 0.05")).toBe(true);
    expect(isDiffGate("findings>0")).toBe(false);
    expect(splitGates(["findings>0", "new-leaks>0"])).toEqual({
      scan: ["findings>0"],
      diff: ["new-leaks>0"],
    });
    expect(() => splitGates(["new-leaks>>0"])).toThrow(/Expected a gate like/);
    expect(parseScanGates(["findings>0", "new-leaks>0"]).map((g) => g.metric)).toEqual(["findings"]);
  });
});
