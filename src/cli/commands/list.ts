import type { CommandModule } from "yargs";
import { DETECTORS } from "../../detectors/index.js";
import { DEFAULT_ATTACK_IDS } from "../../mia/attack-set.js";
import { ATTACKS } from "../../mia/attacks/index.js";
import { SAMIA_ATTACKS } from "../../mia/scoring/samia-sampler.js";
import { PROBES } from "../../probes/index.js";
import { targetFamilies } from "../../targets/index.js";

/** Everything here is generated from the registries. */
function render(): string {
  const out: string[] = ["Targets (--target):"];
  for (const t of targetFamilies()) out.push(`  ${t.family.padEnd(28)} ${t.summary}`);
  out.push("", "Probes (--probe):");
  for (const p of PROBES) {
    const req = p.requires.map((r) => (typeof r === "string" ? r : r.join("|"))).join(", ");
    out.push(
      `  ${p.id.padEnd(28)} ${p.summary}`,
      `  ${"".padEnd(28)} needs: ${req}${p.needs?.length ? `, ${p.needs.join(", ")}` : ""}; detectors: ${p.detectors.join(", ")}`,
    );
  }
  out.push("", "Detectors:");
  for (const d of DETECTORS) out.push(`  ${d.id.padEnd(28)} ${d.summary}`);
  out.push("", "Membership-inference attacks (memscan mia --attacks; * = default):");
  for (const a of ATTACKS) {
    const star = (DEFAULT_ATTACK_IDS as readonly string[]).includes(a.id) ? "*" : " ";
    const needs = a.needs.length ? `  [needs ${a.needs.join(", ")}]` : "";
    out.push(`  ${`${a.id}${star}`.padEnd(28)} ${a.summary}${needs}`);
  }
  for (const id of SAMIA_ATTACKS)
    out.push(`  ${id.padEnd(28)} ROUGE-1 recall of sampled continuations (the sampling path, --path samia)`);
  return out.join("\n");
}

export const listCommand: CommandModule = {
  command: "list",
  describe: "List targets, probes, detectors and membership-inference attacks",
  handler: () => {
    process.stdout.write(`${render()}\n`);
  },
};
