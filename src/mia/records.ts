import type { MiaPlan } from "../core/config-mia.js";
import { readDocuments } from "../core/documents.js";

export type MiaLabel = "member" | "non-member";

/** One text to classify, with its stable id within its label. */
export interface MiaRecord {
  readonly id: string;
  readonly label: MiaLabel;
  readonly text: string;
}

/**
 * Read the plan's members and non-members (JSONL with a `text` field, or text files; ids from `id`,
 * `doc_id`, `record_id`, else `<file>:<line>`), at most `maxRecords` of each, and interleave them
 * (member, non-member, ...) so a run stopped early by a budget has scored both sides alike.
 *
 * @throws ConfigError naming the file and line of any unreadable record.
 */
export async function readMiaRecords(plan: MiaPlan): Promise<MiaRecord[]> {
  const take = <T>(xs: T[]) => (plan.maxRecords !== undefined ? xs.slice(0, plan.maxRecords) : xs);
  const members = take(await readDocuments(plan.members)).map((d) => ({
    id: d.id,
    label: "member" as const,
    text: d.text,
  }));
  const nonMembers = take(await readDocuments(plan.nonMembers)).map((d) => ({
    id: d.id,
    label: "non-member" as const,
    text: d.text,
  }));
  const out: MiaRecord[] = [];
  for (let i = 0; i < Math.max(members.length, nonMembers.length); i++) {
    if (i < members.length) out.push(members[i]!);
    if (i < nonMembers.length) out.push(nonMembers[i]!);
  }
  return out;
}
