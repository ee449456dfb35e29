import { describe, expect, it } from "vitest";
import { DEFAULT_ATTACK_IDS, selectAttacks } from "../../src/mia/attack-set.js";
import { ATTACKS } from "../../src/mia/attacks/index.js";
import { configErrorMessage as configError } from "../helpers/errors.js";

const none = { reference: false, perturbations: 0 };
const ids = (s: ReturnType<typeof selectAttacks>) => s.attacks.map((a) => a.id);
const needs = (s: ReturnType<typeof selectAttacks>) => [...s.needs].sort();

describe("selectAttacks: the default set", () => {
  it("is loss, min-k and min-k-plus-plus without extra models or copies", () => {
    const s = selectAttacks([], 0.2, none);
    expect(ids(s)).toEqual(["loss", "min-k", "min-k-plus-plus"]);
    expect(ids(s)).toEqual([...DEFAULT_ATTACK_IDS]);
    expect(needs(s)).toEqual(["moments"]); // Min-K%++ needs the per-position mean and variance
  });

  it("adds reference when a reference model is given", () => {
    const s = selectAttacks([], 0.2, { reference: true, perturbations: 0 });
    expect(ids(s)).toEqual(["loss", "min-k", "min-k-plus-plus", "reference"]);
    expect(needs(s)).toEqual(["moments", "reference"]);
  });

  it("adds neighbour and pv when perturbed copies are asked for", () => {
    const s = selectAttacks([], 0.2, { reference: false, perturbations: 3 });
    expect(ids(s)).toEqual(["loss", "min-k", "min-k-plus-plus", "neighbour", "pv"]);
    expect(needs(s)).toEqual(["moments", "perturbations"]);
  });

  it("adds reference, neighbour, pv and spv with both", () => {
    const s = selectAttacks([], 0.2, { reference: true, perturbations: 3 });
    expect(ids(s)).toEqual(["loss", "min-k", "min-k-plus-plus", "reference", "neighbour", "pv", "spv"]);
    expect(needs(s)).toEqual(["moments", "perturbations", "reference"]);
  });

  it("builds the default Min-K% attacks at the plan's k (named by it when not 0.2)", () => {
    expect(ids(selectAttacks([], 0.1, none))).toEqual(["loss", "min-k-10", "min-k-plus-plus-10"]);
  });
});

describe("selectAttacks: explicit ids", () => {
  it("keeps the order given, drops duplicates, and collects what the attacks need", () => {
    const s = selectAttacks(["zlib", "loss", "lowercase", "zlib"], 0.2, none);
    expect(ids(s)).toEqual(["zlib", "loss", "lowercase"]);
    expect(needs(s)).toEqual(["lowercase"]);
  });

  it("names k in the id: min-k-10 is k = 0.1, min-k-20 is the default min-k", () => {
    const s = selectAttacks(["min-k-10", "min-k-plus-plus-5", "min-k-20", "min-k"], 0.2, none);
    expect(ids(s)).toEqual(["min-k-10", "min-k-plus-plus-5", "min-k"]);
    // the k in the id wins over the plan's k
    expect(ids(selectAttacks(["min-k-30"], 0.1, none))).toEqual(["min-k-30"]);
    expect(ids(selectAttacks(["min-k"], 0.1, none))).toEqual(["min-k-10"]);
  });

  it("min-k-10 really averages the lowest 10% of the tokens", () => {
    const lp = [-5, -4, -3, -2, -1, -1, -1, -1, -1, -1];
    const target = {
      text: "x",
      path: "offline",
      tokens: lp.map((logprob, i) => ({ token: `t${i}`, logprob, offset: i })),
      usage: { promptTokens: 0, completionTokens: 0 },
    };
    const [k10, k20] = selectAttacks(["min-k-10", "min-k"], 0.2, none).attacks;
    expect(k10!.score({ target })).toBe(-5);
    expect(k20!.score({ target })).toBe(-4.5);
  });

  it("rejects an unknown id, listing the known ones", () => {
    const msg = configError(() => selectAttacks(["loss", "nosuch"], 0.2, none));
    expect(msg).toContain("Unknown attack `nosuch`");
    for (const a of ATTACKS) expect(msg).toContain(a.id);
    expect(msg).toContain("min-k-<percent>");
  });

  it("rejects a percentage outside (0, 100]", () => {
    expect(configError(() => selectAttacks(["min-k-0"], 0.2, none))).toContain("Unknown attack `min-k-0`");
    expect(configError(() => selectAttacks(["min-k-150"], 0.2, none))).toContain("`min-k-150`");
    expect(ids(selectAttacks(["min-k-100"], 0.2, none))).toEqual(["min-k-100"]);
  });

  it("asks for a reference model when reference or spv is chosen without one", () => {
    for (const id of ["reference", "spv"]) {
      const msg = configError(() => selectAttacks([id], 0.2, { reference: false, perturbations: 5 }));
      expect(msg).toContain(`Expected a reference model for attack \`${id}\``);
      expect(msg).toContain("--reference-model");
    }
  });

  it("points the sampling path's attacks to --path samia", () => {
    for (const id of ["samia", "samia-zlib"]) {
      expect(configError(() => selectAttacks([id], 0.2, none))).toContain("use --path samia");
    }
  });
});
