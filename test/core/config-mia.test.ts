import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { miaPlanFor } from "../../src/cli/mia-plan.js";
import { DEMO_PLAN, loadConfigFile, resolveScanPlan, validateConfig } from "../../src/core/config.js";
import { type MiaFlags, miaConfigSchema, resolveMiaPlan } from "../../src/core/config-mia.js";
import { configErrorMessage as configError } from "../helpers/errors.js";
import { tempDir } from "../helpers/temp.js";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("memscan-config-mia-");
  await mkdir(join(dir, "conf"));
  await writeFile(
    join(dir, "conf/mia.yaml"),
    [
      "target: { family: gguf, model: models/ft.gguf }",
      "mia:",
      "  members: data/members.jsonl",
      `  nonMembers: [data/held-out.jsonl, ${join(dir, "abs.txt")}]`,
      "  attacks: [loss, zlib]",
      "  k: 0.1",
      "  samples: 3",
      "  maxRecords: 20",
      "failOn: auc>0.6",
    ].join("\n"),
  );
});

const files = { members: "m.jsonl", nonMembers: "n.jsonl" } as const;

describe("resolveMiaPlan", () => {
  it("is undefined when nothing names members (and there are no defaults)", () => {
    expect(resolveMiaPlan(undefined, {}, dir)).toBeUndefined();
  });

  it("fills every default", () => {
    expect(resolveMiaPlan(files, {}, dir)).toEqual({
      members: [join(dir, "m.jsonl")],
      nonMembers: [join(dir, "n.jsonl")],
      attacks: [],
      k: 0.2,
      path: "auto",
      perturbations: 0,
      topLogprobs: 5,
      samples: 5,
      resamples: 1000,
      minNonMembersFactor: 10,
    });
  });

  it("resolves section paths against the config's folder, flag paths against the working directory", () => {
    const section = { members: ["a.jsonl", "/abs/b.jsonl"], nonMembers: "sub/c.jsonl" };
    const fromFile = resolveMiaPlan(section, {}, join(dir, "conf"))!;
    expect(fromFile.members).toEqual([join(dir, "conf/a.jsonl"), "/abs/b.jsonl"]);
    expect(fromFile.nonMembers).toEqual([join(dir, "conf/sub/c.jsonl")]);
    const fromFlags = resolveMiaPlan(section, { members: ["x.jsonl"], nonMembers: ["/y.jsonl"] }, dir)!;
    expect(fromFlags.members).toEqual([resolve(process.cwd(), "x.jsonl")]);
    expect(fromFlags.nonMembers).toEqual(["/y.jsonl"]);
  });

  it("lets flags win over the section, one setting at a time", () => {
    const section = { ...files, k: 0.1, samples: 3, attacks: ["loss"], topLogprobs: 10, maxRecords: 5 };
    const plan = resolveMiaPlan(
      section,
      { k: 0.3, attacks: ["zlib", "min-k"], nonMembers: ["o.jsonl"] },
      dir,
    )!;
    expect(plan).toMatchObject({
      k: 0.3,
      attacks: ["zlib", "min-k"],
      samples: 3,
      topLogprobs: 10,
      maxRecords: 5,
      members: [join(dir, "m.jsonl")], // from the section
      nonMembers: [resolve("o.jsonl")], // from the flag
    });
  });

  it("uses the defaults' files only when nothing names any", () => {
    const demo = resolveMiaPlan(undefined, { maxRecords: 3 }, dir, DEMO_PLAN)!;
    expect(demo.members).toEqual(DEMO_PLAN.members);
    expect(demo.nonMembers).toEqual(DEMO_PLAN.nonMembers);
    expect(demo.maxRecords).toBe(3);
    const own = resolveMiaPlan(files, {}, dir, DEMO_PLAN)!;
    expect(own.members).toEqual([join(dir, "m.jsonl")]);
  });

  it("refuses members without non-members, and the reverse", () => {
    const a = configError(() => resolveMiaPlan({ members: "m.jsonl" } as never, {}, dir));
    expect(a).toContain("Expected both members and non-members");
    expect(a).toContain("got only members");
    expect(a).toContain("--non-members <file>");
    expect(configError(() => resolveMiaPlan(undefined, { nonMembers: ["n.jsonl"] }, dir))).toContain(
      "got only non-members",
    );
  });

  it.each<[MiaFlags, string]>([
    [{ k: 0 }, "k"],
    [{ k: 1.5 }, "k"],
    [{ topLogprobs: 21 }, "topLogprobs"],
    [{ topLogprobs: 0 }, "topLogprobs"],
    [{ samples: 0 }, "samples"],
    [{ samples: 101 }, "samples"],
    [{ perturbations: -1 }, "perturbations"],
    [{ perturbations: 101 }, "perturbations"],
    [{ maxRecords: 0 }, "maxRecords"],
    [{ maxRecords: 2.5 }, "maxRecords"],
    [{ resamples: -1 }, "resamples"],
    [{ minNonMembersFactor: 0 }, "minNonMembersFactor"],
    [{ path: "bogus" as never }, "path"],
  ])("refuses %o, naming the setting", (flags, name) => {
    const msg = configError(() => resolveMiaPlan(files, flags, dir));
    expect(msg).toMatch(new RegExp(`^Invalid MIA setting ${name}: .+ See \`memscan mia --help\`\\.$`));
    expect(msg.split("\n")).toHaveLength(1);
  });

  it("checks section values with the same schema", () => {
    expect(configError(() => resolveMiaPlan({ ...files, k: 2 }, {}, dir))).toMatch(/^Invalid MIA setting k:/);
    expect(miaConfigSchema.safeParse({ ...files, bogus: 1 }).success).toBe(false);
    expect(miaConfigSchema.safeParse({ members: "", nonMembers: "n" }).success).toBe(false);
    expect(miaConfigSchema.safeParse({ members: ["a", "b"], nonMembers: "n", path: "samia" }).success).toBe(
      true,
    );
  });
});

describe("the mia: section of a config file", () => {
  it("is validated with the file and resolved against its folder by resolveScanPlan", async () => {
    const file = await loadConfigFile(join(dir, "conf/mia.yaml"));
    const plan = resolveScanPlan(file, {});
    expect(plan.mia).toMatchObject({
      members: [join(dir, "conf/data/members.jsonl")],
      nonMembers: [join(dir, "conf/data/held-out.jsonl"), join(dir, "abs.txt")],
      attacks: ["loss", "zlib"],
      k: 0.1,
      samples: 3,
      maxRecords: 20,
    });
    expect(() => validateConfig({ mia: { members: "m", nonMembers: "n", k: "x" } }, "bad.yaml")).toThrow(
      /Invalid bad\.yaml: mia\.k/,
    );
  });

  it("memscan mia's plan: flags over the section, no probes, gates only as given", async () => {
    const config = join(dir, "conf/mia.yaml");
    const fromFile = await miaPlanFor({ config });
    expect(fromFile.plan.probes).toEqual([]);
    expect(fromFile.plan.control).toBeUndefined();
    expect(fromFile.plan.failOn).toEqual(["auc>0.6"]);
    expect(fromFile.plan.mia).toMatchObject({ k: 0.1, samples: 3, attacks: ["loss", "zlib"] });

    const flagged = await miaPlanFor({
      config,
      k: 0.5,
      maxRecords: 4,
      members: ["here.jsonl"],
      failOn: ["loss:auc>0.9"],
    });
    expect(flagged.plan.mia).toMatchObject({
      k: 0.5,
      maxRecords: 4,
      samples: 3,
      members: [resolve("here.jsonl")],
      nonMembers: [join(dir, "conf/data/held-out.jsonl"), join(dir, "abs.txt")],
    });
    expect(flagged.plan.failOn).toEqual(["loss:auc>0.9"]);
  });

  it("memscan mia without a config or members runs the demo's 40 + 40 records; a target without them is refused", async () => {
    const demo = await miaPlanFor({});
    expect(demo.plan.mia?.members).toEqual(DEMO_PLAN.members);
    expect(demo.plan.mia?.maxRecords).toBeUndefined();
    expect(demo.plan.failOn).toEqual([]);
    await expect(miaPlanFor({ target: "gguf", model: "x.gguf" })).rejects.toThrow(
      /Expected member and non-member texts, got none/,
    );
  });
});
