/**
 * Member and non-member scores, each sorted ascending: the shared input of every ROC statistic, so a
 * bootstrap sorts once per resample and every statistic is a linear walk.
 */
export interface SortedScores {
  readonly members: Float64Array;
  readonly nonMembers: Float64Array;
}

/** One ROC operating point: predict "member" when score ≥ `threshold`. */
export interface RocPoint {
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
}

/**
 * Validate and sort labelled scores (higher = more likely member). Throws a RangeError when either set is
 * empty or a score is NaN.
 */
export function sortScores(members: readonly number[], nonMembers: readonly number[]): SortedScores {
  if (members.length === 0 || nonMembers.length === 0)
    throw new RangeError(
      `Expected at least one member and one non-member score, got ${members.length} and ${nonMembers.length}`,
    );
  for (const s of [...members, ...nonMembers])
    if (Number.isNaN(s))
      throw new RangeError("Expected numeric scores, got NaN; drop texts the attack could not score");
  return { members: Float64Array.from(members).sort(), nonMembers: Float64Array.from(nonMembers).sort() };
}

/**
 * ROC curve with one point per distinct threshold, from (0, 0) at threshold +∞ to (1, 1). Tied scores move
 * TPR and FPR together, giving a diagonal segment (the ½ credit in the AUC).
 */
export function rocCurveSorted({ members, nonMembers }: SortedScores): RocPoint[] {
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 }];
  let i = members.length - 1;
  let j = nonMembers.length - 1;
  while (i >= 0 || j >= 0) {
    const v = Math.max(
      i >= 0 ? members[i]! : Number.NEGATIVE_INFINITY,
      j >= 0 ? nonMembers[j]! : Number.NEGATIVE_INFINITY,
    );
    while (i >= 0 && members[i]! === v) i--;
    while (j >= 0 && nonMembers[j]! === v) j--;
    points.push({
      threshold: v,
      fpr: (nonMembers.length - 1 - j) / nonMembers.length,
      tpr: (members.length - 1 - i) / members.length,
    });
  }
  return points;
}

/**
 * ROC AUC as the Mann–Whitney statistic: P(member score > non-member score) + ½·P(tie), in O(n) over
 * sorted scores. Equals the trapezoidal area under `rocCurveSorted`.
 */
export function aucSorted({ members, nonMembers }: SortedScores): number {
  let below = 0;
  let atOrBelow = 0;
  let sum = 0;
  for (const v of members) {
    while (below < nonMembers.length && nonMembers[below]! < v) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < nonMembers.length && nonMembers[atOrBelow]! <= v) atOrBelow++;
    sum += below + (atOrBelow - below) / 2;
  }
  return sum / (members.length * nonMembers.length);
}

/**
 * ROC curve of labelled scores (higher = member).
 *
 * @example rocCurve([3, 2], [1]) // [{threshold: Infinity, fpr: 0, tpr: 0}, {3, 0, 0.5}, {2, 0, 1}, {1, 1, 1}]
 */
export function rocCurve(members: readonly number[], nonMembers: readonly number[]): RocPoint[] {
  return rocCurveSorted(sortScores(members, nonMembers));
}

/**
 * ROC AUC with ties counted ½: 1 = perfect separation, 0.5 = chance, 0 = reversed.
 *
 * @example rocAuc([2, 1], [1, 0]) // (1 + 1 + 0.5 + 1) / 4 = 0.875
 */
export function rocAuc(members: readonly number[], nonMembers: readonly number[]): number {
  return aucSorted(sortScores(members, nonMembers));
}
