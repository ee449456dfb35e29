import type { SarifRuleId } from "./sarif-rules.js";
import { countsAsEvidence, type Finding, type Summary } from "./summary.js";

export interface SarifItem {
  readonly rule: SarifRuleId;
  /** What the message calls the subject: `Canary`, `Document`, `Field`, `PII value`. */
  readonly label: string;
  readonly subject: string;
  /** Which plan file the location points at. */
  readonly file: "canaries" | "documents" | "target";
  readonly exact: boolean;
  readonly count: number;
  readonly distance: number;
  readonly probes: string[];
  /** SHA-256 of the best evidence's raw text (compare leaks across runs without the text). */
  readonly sha256: string;
}

export type ItemStateMap = Map<string, SarifItem>;

function ruleFor(kind: Finding["kind"], exact: boolean): Pick<SarifItem, "rule" | "label" | "file"> | null {
  switch (kind) {
    case "canary":
      return {
        rule: exact ? "memscan/canary-leak" : "memscan/canary-near-leak",
        label: "Canary",
        file: "canaries",
      };
    case "document":
      return {
        rule: exact ? "memscan/document-extracted" : "memscan/document-near-extraction",
        label: "Document",
        file: "documents",
      };
    case "attribute":
      return exact ? { rule: "memscan/attribute-completed", label: "Field", file: "documents" } : null;
    case "pii":
      return exact ? { rule: "memscan/pii-emitted", label: "PII value", file: "target" } : null;
    default:
      return null;
  }
}

/**
 * The target's own findings (control-reproduced ones left out) merged per kind and subject over probes: one
 * SARIF result per leaked thing, however many probes drew it, under the rule of its strongest match
 * (verbatim beats near).
 */
export function itemStatesByRule(s: Summary): ItemStateMap {
  const merged = new Map<string, Omit<SarifItem, "rule" | "label" | "file"> & { kind: Finding["kind"] }>();
  for (const f of s.target.findings) {
    if (!countsAsEvidence(f)) continue;
    const key = `${f.kind}\0${f.subject}`;
    const prev = merged.get(key);
    merged.set(key, {
      kind: f.kind,
      subject: f.subject,
      exact: f.exact || (prev?.exact ?? false),
      count: (prev?.count ?? 0) + f.count,
      distance: Math.min(prev?.distance ?? 1, f.distance),
      probes: [...new Set([...(prev?.probes ?? []), f.probe])].sort(),
      // the hash of the first exact match, else of the first match
      sha256: prev && (prev.exact || !f.exact) ? prev.sha256 : f.evidence.sha256,
    });
  }
  const out: ItemStateMap = new Map();
  for (const [key, { kind, ...it }] of merged) {
    const r = ruleFor(kind, it.exact);
    if (r) out.set(key, { ...r, ...it });
  }
  return out;
}
