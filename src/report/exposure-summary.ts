import type { CanaryExposureEvent, ReportEvent, Role } from "./events.js";

/** One canary's exposure as summaries and `--json` show it. */
export interface ExposureRow {
  readonly id: string;
  readonly role: Role;
  readonly insertCount: number;
  readonly control: boolean;
  readonly method: "rank" | "generation";
  /** 1-based rank among itself + references (rank method). */
  readonly rank: number | null;
  readonly references: number;
  readonly spaceBits: number | null;
  readonly exposureInterpolated: number | null;
  /** Capped at `spaceBits`; `exposureExtrapolatedRaw` is the uncapped −log2 CDF. */
  readonly exposureExtrapolated: number | null;
  readonly exposureExtrapolatedRaw?: number | null;
  readonly emission?: CanaryExposureEvent["emission"];
  readonly error?: string;
}

/** Canaries with the same insertion count (controls apart), averaged. */
export interface ExposureGroup {
  readonly insertCount: number;
  readonly control: boolean;
  readonly canaries: number;
  readonly meanInterpolated: number | null;
  readonly meanExtrapolated: number | null;
  readonly maxExtrapolated: number | null;
  /** Generation method: emissions over samples, summed. */
  readonly hits?: number;
  readonly samples?: number;
}

/** Exposure of one measured role. */
export interface ExposureRoleSummary {
  readonly role: Role;
  readonly canaries: readonly ExposureRow[];
  readonly groups: readonly ExposureGroup[];
}

/** The summary's `exposure` section. */
export interface ExposureSection {
  readonly roles: readonly ExposureRoleSummary[];
}

/** A canary.exposure event as a row. */
export function exposureRow(e: CanaryExposureEvent): ExposureRow {
  return {
    id: e.canaryId,
    role: e.role ?? "target",
    insertCount: e.insertCount,
    control: e.control,
    method: e.method,
    rank: e.rank,
    references: e.references,
    spaceBits: e.spaceBits,
    exposureInterpolated: e.exposureInterpolated,
    exposureExtrapolated: e.exposureExtrapolated,
    ...(e.exposureExtrapolatedRaw !== undefined
      ? { exposureExtrapolatedRaw: e.exposureExtrapolatedRaw }
      : {}),
    ...(e.emission ? { emission: e.emission } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
  };
}

const mean = (xs: readonly number[]): number | null =>
  xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;

/** Group rows by (control, insertion count): controls first, then ascending copies. */
export function groupByInsertCount(rows: readonly ExposureRow[]): ExposureGroup[] {
  const groups = new Map<string, ExposureRow[]>();
  for (const r of rows) {
    const key = `${r.control ? 0 : 1}:${String(r.insertCount).padStart(9, "0")}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.keys()].sort().map((key) => {
    const list = groups.get(key)!;
    const interp = list.flatMap((r) => (r.exposureInterpolated === null ? [] : [r.exposureInterpolated]));
    const extra = list.flatMap((r) => (r.exposureExtrapolated === null ? [] : [r.exposureExtrapolated]));
    const emitted = list.filter((r) => r.emission);
    return {
      insertCount: list[0]!.insertCount,
      control: list[0]!.control,
      canaries: list.length,
      meanInterpolated: mean(interp),
      meanExtrapolated: mean(extra),
      maxExtrapolated: extra.length ? Math.max(...extra) : null,
      ...(emitted.length
        ? {
            hits: emitted.reduce((s, r) => s + r.emission!.hits, 0),
            samples: emitted.reduce((s, r) => s + r.emission!.samples, 0),
          }
        : {}),
    };
  });
}

/** Rows (any role) into per-role summaries, roles in order target, control, reference. */
export function exposureSection(rows: readonly ExposureRow[]): ExposureSection | undefined {
  if (rows.length === 0) return undefined;
  const order: Role[] = ["target", "control", "reference"];
  return {
    roles: order
      .map((role) => rows.filter((r) => r.role === role))
      .filter((list) => list.length > 0)
      .map((list) => ({ role: list[0]!.role, canaries: list, groups: groupByInsertCount(list) })),
  };
}

/** Fold a run's canary.exposure events: the last event per (role, canary) wins (a resume re-measures errors). */
export function foldExposure(events: readonly ReportEvent[]): ExposureSection | undefined {
  const last = new Map<string, CanaryExposureEvent>();
  for (const e of events)
    if (e.type === "canary.exposure") last.set(`${e.role ?? "target"}\0${e.canaryId}`, e);
  return exposureSection([...last.values()].map(exposureRow));
}

/**
 * Gate metric `exposure`: the largest exposure of a planted (non-control) canary on the target, by
 * either estimator (extrapolation can go past log2 N, interpolation cannot). Absent (so the gate cannot
 * fail) when nothing was ranked.
 */
export function exposureMetrics(section: ExposureSection | undefined): Record<string, number> {
  const rows = section?.roles.find((r) => r.role === "target")?.canaries ?? [];
  const values = rows
    .filter((r) => !r.control)
    .flatMap((r) => [r.exposureInterpolated, r.exposureExtrapolated].filter((v): v is number => v !== null));
  return values.length ? { exposure: Math.max(...values) } : {};
}
