import type { GateResult } from "../core/gate.js";
import type { ExposureSection } from "../report/exposure-summary.js";

/** `--json` of `memscan canary exposure`: `extra` (run id, gates, ...) and the target's canaries and groups. */
export function jsonResult(s: { exposure?: ExposureSection | undefined }, extra: Record<string, unknown>) {
  const role = (r: string) => s.exposure?.roles.find((x) => x.role === r);
  const t = role("target");
  const c = role("control");
  return {
    ...extra,
    canaries: t?.canaries ?? [],
    groups: t?.groups ?? [],
    ...(c ? { control: { canaries: c.canaries, groups: c.groups } } : {}),
  };
}

export function gateLines(gates: readonly GateResult[]): string[] {
  return gates.map(
    (g) =>
      `gate ${g.expr}: ${g.value === null ? "n/a" : g.value.toFixed(2)} -> ${g.failed ? "FAIL" : "pass"}`,
  );
}
