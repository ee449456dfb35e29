import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { GateResult } from "../core/gate.js";
import { sha256 } from "../core/hash.js";
import type { RunDiff } from "./diff/types.js";
import type { ReportModel } from "./model.js";
import { type ItemStateMap, itemStatesByRule } from "./sarif-items.js";
import { MIA_GATE_METRIC, SARIF_RULES, type SarifRuleId } from "./sarif-rules.js";

/** The key under `partialFingerprints`; bump the suffix only if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = "memscanFinding/v1";

export interface SarifOptions {
  /** Paths inside this folder are written relative to it (`%SRCROOT%`); default the working directory. */
  readonly root?: string;
  readonly diff?: RunDiff;
}

type Json = Record<string, unknown>;

const ruleIndex = (id: SarifRuleId) => SARIF_RULES.findIndex((r) => r.id === id);

/**
 * Stable across runs: the same leak (rule + subject: a canary id, a document id, a PII rule with the hash
 * of its value), the same gate expression or the same attack always gets the same fingerprint, whichever
 * run, probe or attempt found it. No leaked text goes into it.
 */
export function fingerprint(ruleId: string, key: string): string {
  return sha256(`${ruleId}\0${key}`);
}

function artifact(path: string | undefined, root: string): Json | undefined {
  if (!path) return undefined;
  if (!isAbsolute(path)) return { uri: path.split(sep).join("/"), uriBaseId: "%SRCROOT%" };
  const rel = relative(root, path);
  if (!rel.startsWith("..") && !isAbsolute(rel))
    return { uri: rel.split(sep).join("/"), uriBaseId: "%SRCROOT%" };
  return { uri: pathToFileURL(path).href };
}

function planPath(
  plan: Readonly<Record<string, unknown>>,
  key: "canaries" | "documents" | "target",
): string | undefined {
  const v = plan[key];
  if (typeof v === "string") return v;
  if (Array.isArray(v) && typeof v[0] === "string") return v[0];
  if (key === "target" && v && typeof v === "object" && (v as Json).family === "gguf")
    return String((v as Json).model);
  return undefined;
}

function location(m: ReportModel, file: string | undefined, root: string, logical: string): Json {
  const target = m.summary.target.target?.id ?? "target";
  const art = artifact(file, root) ?? {
    uri: `memscan/targets/${encodeURIComponent(target)}`,
    uriBaseId: "%SRCROOT%",
  };
  return {
    physicalLocation: { artifactLocation: art },
    logicalLocations: [{ name: logical, fullyQualifiedName: `${target}/${logical}`, kind: "object" }],
  };
}

function result(
  ruleId: SarifRuleId,
  text: string,
  loc: Json,
  key: string,
  properties: Json,
  level?: string,
): Json {
  return {
    ruleId,
    ruleIndex: ruleIndex(ruleId),
    ...(level ? { level } : {}),
    message: { text },
    locations: [loc],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(ruleId, key) },
    properties,
  };
}

function gateRule(g: GateResult): SarifRuleId {
  if (MIA_GATE_METRIC.test(g.metric)) return "memscan/mia-above-gate";
  if (g.metric.startsWith("exposure")) return "memscan/exposure-above-gate";
  return "memscan/scan-gate-failed";
}

function leakResults(m: ReportModel, items: ItemStateMap, root: string): Json[] {
  const target = m.summary.target.target?.id ?? "the target";
  const out: Json[] = [];
  for (const it of items.values()) {
    const file = planPath(m.plan, it.file);
    const how = `${it.exact ? "verbatim" : `approximately (distance ${it.distance.toFixed(3)})`} by ${target} via ${it.probes.join(", ")} in ${it.count} attempt(s)`;
    out.push(
      result(
        it.rule,
        `${it.label} ${it.subject} was emitted ${how}.`,
        location(m, file, root, it.subject),
        it.subject,
        {
          subject: it.subject,
          probes: it.probes,
          attempts: it.count,
          distance: it.distance,
          evidenceSha256: it.sha256,
        },
      ),
    );
  }
  return out;
}

/**
 * SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one result per leaked subject (canary,
 * document, record field, PII value) the control does not reproduce, per failed gate, and per attack whose
 * AUC interval lies above chance. Rule ids and `partialFingerprints` are stable, so alerts track across
 * runs. Masked: messages name subjects and hashes, never leaked text.
 */
export function renderSarif(m: ReportModel, opts: SarifOptions = {}): string {
  const root = opts.root ?? process.cwd();
  const s = m.summary;
  const results = leakResults(m, itemStatesByRule(s), root);
  const modelFile = planPath(m.plan, "target");
  for (const g of s.gates.filter((x) => x.failed)) {
    const rule = gateRule(g);
    results.push(
      result(
        rule,
        `Gate ${g.expr} failed: ${g.metric} = ${g.value}.`,
        location(m, modelFile, root, g.expr),
        g.expr,
        {
          metric: g.metric,
          value: g.value,
          threshold: g.threshold,
        },
      ),
    );
  }
  const miaGateFailed = s.gates.some((g) => g.failed && MIA_GATE_METRIC.test(g.metric));
  if (!miaGateFailed) {
    for (const { result: r } of m.mia.attacks.filter((a) => a.result.aucLow > 0.5)) {
      results.push(
        result(
          "memscan/membership-signal",
          `Membership inference with ${r.attack} reaches AUC ${r.auc.toFixed(3)} (95% interval ${r.aucLow.toFixed(3)}-${r.aucHigh.toFixed(3)}) over ${r.members} members and ${r.nonMembers} non-members.`,
          location(m, modelFile, root, `mia:${r.attack}`),
          `mia:${r.attack}`,
          { attack: r.attack, auc: r.auc, aucLow: r.aucLow, aucHigh: r.aucHigh },
        ),
      );
    }
  }
  for (const g of (opts.diff?.gates ?? []).filter((x) => x.failed)) {
    results.push(
      result(
        "memscan/regression",
        `Regression gate ${g.expr} failed against baseline ${opts.diff!.old.runId}: ${g.metric} = ${g.value}.`,
        location(m, modelFile, root, g.expr),
        g.expr,
        { metric: g.metric, value: g.value, baseline: opts.diff!.old.runId },
      ),
    );
  }
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "memscan",
            version: m.memscanVersion,
            semanticVersion: m.memscanVersion,
            rules: SARIF_RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              help: { text: r.full },
              defaultConfiguration: { level: r.level },
              properties: { tags: ["security", "privacy", "memorization"], "security-severity": r.severity },
            })),
          },
        },
        automationDetails: { id: `memscan/${s.runId}` },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(root + sep).href } },
        invocations: [
          {
            executionSuccessful: s.status === "completed",
            exitCode: s.exitCode,
            ...(m.startedAt ? { startTimeUtc: m.startedAt } : {}),
            ...(m.finishedAt ? { endTimeUtc: m.finishedAt } : {}),
          },
        ],
        results,
        properties: {
          target: s.target.target?.id ?? null,
          control: s.control?.target?.id ?? null,
          metrics: s.metrics,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
