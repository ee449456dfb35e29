import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { loadPack, PACKS_DIR } from "../../src/core/packs.js";
import { RepeatWordPack } from "../../src/probes/repeat-word.js";
import { ROOT } from "../helpers/lab.js";

const dir = mkdtempSync(join(tmpdir(), "memscan-packs-"));
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe("loadPack", () => {
  it("finds the shipped probes/ folder and validates a shipped pack", () => {
    expect(PACKS_DIR).toBe(join(ROOT, "probes"));
    expect(loadPack("divergence/repeat-word.json", RepeatWordPack).singleToken).toContain("poem");
  });

  it("names the file and the problem for a missing pack, bad JSON or a bad shape", () => {
    expect(() => loadPack("divergence/nope.json", RepeatWordPack)).toThrow(
      /`probes\/divergence\/nope\.json`.*could not be read/,
    );
    const bad = file("bad.json", "{ nope");
    expect(() => loadPack(bad, RepeatWordPack)).toThrow(ConfigError);
    expect(() => loadPack(bad, RepeatWordPack)).toThrow(/bad\.json` to be valid JSON/);
    const shape = file(
      "shape.json",
      JSON.stringify({ singleToken: ["poem"], multiToken: [], templates: ["no placeholder"], repeats: [0] }),
    );
    expect(() => loadPack(shape, RepeatWordPack)).toThrow(
      /shape\.json` to match its format, found: `templates\.0`: must contain the placeholder \{repeated\}.*`repeats\.0`: .*got 0/,
    );
  });
});
