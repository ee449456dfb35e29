import type { CommandModule } from "yargs";
import { DETECTORS } from "../../detectors/index.js";
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
  return out.join("\n");
}

export const listCommand: CommandModule = {
  command: "list",
  describe: "List targets, probes and detectors",
  handler: () => {
    process.stdout.write(`${render()}\n`);
  },
};
