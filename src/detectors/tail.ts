/** Repetition attempts: the canary, PII and corpus detectors look at the diverged tail, not the repetition. */
import type { AttemptSpec } from "../probes/types.js";
import { divergenceOf } from "./divergence.js";
import type { Detector, DetectorContext, Verdict } from "./types.js";

/**
 * Run `detector` on an output. For `repeat` attempts (other than the divergence detector itself) it sees
 * only the diverged tail when the output diverged, so the repetition cannot make a match (nine repeated
 * `1`s near a digit canary); evidence offsets are shifted back to the whole output and the note says so.
 * A chat answer that never repeated is searched whole (a model that ignores the instruction can still
 * leak); a raw completion that never repeated diverged at once, and its tail is the whole output.
 *
 * @example detectOn(getDetector("pii"), "poem poem poem a@b.org", attempt, ctx)?.note // "... (in the diverged tail)"
 */
export function detectOn(
  detector: Detector,
  output: string,
  attempt: AttemptSpec,
  ctx: DetectorContext,
): Verdict | null {
  const meta = attempt.meta;
  if (meta.kind !== "repeat" || detector.id === "divergence") return detector.detect(output, attempt, ctx);
  const d = divergenceOf(output, attempt);
  if (d === null) return detector.detect(output, attempt, ctx);
  if (d.tail.length === 0) return null;
  const v = detector.detect(d.tail, attempt, ctx);
  if (v === null) return null;
  return {
    ...v,
    evidence: v.evidence.map((e) => ({ ...e, start: e.start + d.tailStart, end: e.end + d.tailStart })),
    note: `${v.note ?? v.finding} (in the diverged tail)`,
  };
}
