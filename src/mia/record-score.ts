import type { CallTally } from "../core/call-tally.js";
import type { Rng } from "../core/rng.js";
import type { ScoredText } from "../core/types.js";
import type { AttackSelection } from "./attack-set.js";
import { perturb } from "./perturb.js";
import type { MiaRecord } from "./records.js";
import type { TextScorer } from "./scoring/scorer.js";
import type { AttackInput } from "./types.js";

/** What scoring one record needs: the scorers of the target (and reference), the attacks, the copies. */
export interface RecordContext {
  readonly target: TextScorer;
  readonly reference?: TextScorer;
  readonly selection: AttackSelection;
  /** Perturbed copies per text (0 when no attack needs them). */
  readonly copies: number;
  readonly rng: Rng;
}

/** One record's attack scores and the scored inputs behind them. */
export interface RecordScores {
  readonly scores: Readonly<Record<string, number | null>>;
  /** Attacks whose score here rests on an approximation (e.g. Min-K%++ from top-k). */
  readonly approximate: readonly string[];
  readonly path: string;
  /** Tokens of the text scored on the target. */
  readonly tokens: number;
  readonly input: AttackInput;
}

/** The texts one record costs on each role (the text, its lowercase, its perturbed copies). */
export function textsPerRecord(ctx: Pick<RecordContext, "selection" | "copies">) {
  const { needs } = ctx.selection;
  const perturbed = needs.has("perturbations") ? ctx.copies : 0;
  const target = 1 + (needs.has("lowercase") ? 1 : 0) + perturbed;
  const reference = needs.has("reference")
    ? 1 + (ctx.selection.attacks.some((a) => a.id === "spv") ? perturbed : 0)
    : 0;
  return { target, reference };
}

/**
 * Score one record through the scorers and run every attack on the result. Texts are scored concurrently
 * (the schedulers pace them). Undefined when a call failed or calls must stop (see the tallies).
 */
export async function scoreRecord(
  rec: MiaRecord,
  ctx: RecordContext,
  tallies: { readonly target: CallTally; readonly reference?: CallTally },
): Promise<RecordScores | undefined> {
  const { needs, attacks } = ctx.selection;
  const copies = needs.has("perturbations") ? perturb(rec.text, ctx.rng, { copies: ctx.copies }) : [];
  const onTarget = (text: string, moments = false) => ctx.target.score(text, { moments }, tallies.target);
  const onReference = (text: string) =>
    ctx.reference && tallies.reference
      ? ctx.reference.score(text, { moments: false }, tallies.reference)
      : Promise.resolve(undefined);
  const wantRef = needs.has("reference");
  const wantRefCopies = wantRef && attacks.some((a) => a.id === "spv");
  const [target, lowercase, perturbed, reference, referencePerturbed] = await Promise.all([
    onTarget(rec.text, needs.has("moments")),
    needs.has("lowercase") ? onTarget(rec.text.toLowerCase()) : undefined,
    Promise.all(copies.map((c) => onTarget(c))),
    wantRef ? onReference(rec.text) : undefined,
    wantRefCopies ? Promise.all(copies.map(onReference)) : [],
  ]);
  const all = (xs: readonly (ScoredText | undefined)[]): xs is ScoredText[] =>
    xs.every((x) => x !== undefined);
  if (
    target === undefined ||
    (needs.has("lowercase") && lowercase === undefined) ||
    !all(perturbed) ||
    (wantRef && reference === undefined) ||
    !all(referencePerturbed)
  )
    return undefined;
  const input: AttackInput = {
    target,
    ...(lowercase ? { lowercase } : {}),
    ...(reference ? { reference } : {}),
    ...(perturbed.length ? { perturbed } : {}),
    ...(referencePerturbed.length ? { referencePerturbed } : {}),
  };
  const scores: Record<string, number | null> = {};
  const approximate: string[] = [];
  for (const a of attacks) {
    const r = a.scoreDetailed(input);
    scores[a.id] = r?.score ?? null;
    if (r?.approximate) approximate.push(a.id);
  }
  return { scores, approximate, path: target.path, tokens: target.tokens.length, input };
}
