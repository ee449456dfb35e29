import type { z } from "zod";

/**
 * One line for all problems, `; `-separated: where, what was expected, what was found. Of a union's
 * branches, the one that got furthest (deepest path) is described, not "invalid input".
 * @example describeIssues(err) // 'target.model: expected string, got 3; rpm: expected > 0, got -1'
 */
export function describeIssues(error: z.ZodError): string {
  return flattenIssues(error.issues, []).join("; ");
}

type Issue = z.core.$ZodIssue;

function flattenIssues(issues: readonly Issue[], prefix: readonly PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const depth = (branch: readonly Issue[]) => Math.max(...branch.map((i) => i.path.length));
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
      if (depth(best) > 0) return flattenIssues(best, path);
    }
    return [`${path.length ? path.map(String).join(".") : "(top level)"}: ${issueText(issue)}`];
  });
}

function issueText(issue: Issue): string {
  const got = issue.input !== undefined ? `, got ${shown(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}${got}`;
    case "too_small":
      return `expected ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}${got}`;
    case "too_big":
      return `expected ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}${got}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

function shown(v: unknown): string {
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? "a list" : "an object";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
