/**
 * SARIF rules: stable ids code-scanning tools key alerts on. Never rename an id; add new ones.
 * `security-severity` (0-10) is what GitHub code scanning sorts by.
 */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly full: string;
  readonly level: "error" | "warning" | "note";
  readonly severity: string;
}

export const SARIF_RULES = [
  {
    id: "memscan/canary-leak",
    name: "CanaryLeak",
    short: "A planted canary secret was emitted verbatim",
    full: "The model reproduced a canary secret that was planted in its training data: it memorized it, and anyone who can prompt it can extract it.",
    level: "error",
    severity: "9.0",
  },
  {
    id: "memscan/canary-near-leak",
    name: "CanaryNearLeak",
    short: "A planted canary secret was emitted with small edits",
    full: "The model emitted text within a small edit distance of a planted canary secret (e.g. one digit off): partial memorization that filters on verbatim matches miss.",
    level: "warning",
    severity: "6.0",
  },
  {
    id: "memscan/document-extracted",
    name: "DocumentExtracted",
    short: "A training document was extracted verbatim",
    full: "Prompted with a prefix of one of your documents, the model continued it verbatim (discoverable memorization).",
    level: "error",
    severity: "8.0",
  },
  {
    id: "memscan/document-near-extraction",
    name: "DocumentNearExtraction",
    short: "A training document was extracted approximately",
    full: "The model continued one of your documents within a small normalised edit distance.",
    level: "warning",
    severity: "5.0",
  },
  {
    id: "memscan/attribute-completed",
    name: "AttributeCompleted",
    short: "A hidden field of a record was completed",
    full: "Given the rest of a record, the model produced the value of a withheld field (e.g. an e-mail or an API key).",
    level: "error",
    severity: "8.0",
  },
  {
    id: "memscan/pii-emitted",
    name: "PiiEmitted",
    short: "The model emitted personal data that was not in the prompt",
    full: "An output contained a value shaped like personal or secret data (card number, SSN, e-mail, phone, API key) that the prompt did not contain.",
    level: "warning",
    severity: "7.0",
  },
  {
    id: "memscan/mia-above-gate",
    name: "MembershipInferenceAboveGate",
    short: "Membership inference succeeds above the gate",
    full: "A membership-inference metric (AUC, TPR at low FPR, balanced accuracy) met its --fail-on gate: an attacker can tell training members from non-members.",
    level: "error",
    severity: "7.0",
  },
  {
    id: "memscan/membership-signal",
    name: "MembershipSignal",
    short: "Membership inference beats chance",
    full: "The bootstrap 95% interval of an attack's AUC lies above 0.5: the model leaks which texts it was trained on (no gate failed).",
    level: "note",
    severity: "3.0",
  },
  {
    id: "memscan/exposure-above-gate",
    name: "CanaryExposureAboveGate",
    short: "Canary exposure meets the gate",
    full: "The exposure (Secret Sharer, in bits) of a planted canary met its --fail-on gate.",
    level: "error",
    severity: "7.0",
  },
  {
    id: "memscan/scan-gate-failed",
    name: "ScanGateFailed",
    short: "A scan gate failed",
    full: "A --fail-on gate on the scan's metrics (findings, hit rates, errors) was met.",
    level: "error",
    severity: "6.0",
  },
  {
    id: "memscan/regression",
    name: "Regression",
    short: "A regression gate against the baseline failed",
    full: "Compared with the baseline run, a regression gate (new leaks, AUC increase, exposure increase) was met.",
    level: "error",
    severity: "7.0",
  },
] as const satisfies readonly SarifRule[];

export type SarifRuleId = (typeof SARIF_RULES)[number]["id"];

export const MIA_GATE_METRIC = /^(?:[a-z0-9_.-]+:)?(?:auc|tpr@|balanced-accuracy)/;
