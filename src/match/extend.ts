/** Greedy extension of an exact match past small edits (used to extend corpus seed chains). */

/** Run of equal units from (i, j) stepping by `dir` (+1 right, -1 left: compares i-1, j-1). */
function runLength(a: string, b: string, i: number, j: number, dir: 1 | -1, cap: number): number {
  let n = 0;
  const off = dir === 1 ? 0 : -1;
  while (n < cap) {
    const x = i + dir * n + off;
    const y = j + dir * n + off;
    if (x < 0 || y < 0 || x >= a.length || y >= b.length || a.charCodeAt(x) !== b.charCodeAt(y)) break;
    n++;
  }
  return n;
}

/**
 * Greedy extension past the ends of a chain, allowing up to `budget` single edits, each of which must be
 * followed by an exact run of at least 4 units. Returns the new ends in `a` and `b`.
 */
export function extendGreedy(
  a: string,
  b: string,
  i: number,
  j: number,
  dir: 1 | -1,
  budget: number,
): [number, number] {
  let x = i;
  let y = j;
  let left = budget;
  for (;;) {
    const run = runLength(a, b, x, y, dir, Number.MAX_SAFE_INTEGER);
    x += dir * run;
    y += dir * run;
    if (left === 0) return [x, y];
    const options: [number, number][] = [
      [1, 1],
      [1, 0],
      [0, 1],
    ];
    let best: [number, number] | null = null;
    let bestRun = 3;
    for (const [dx, dy] of options) {
      const r = runLength(a, b, x + dir * dx, y + dir * dy, dir, 16);
      if (r > bestRun) {
        bestRun = r;
        best = [dx, dy];
      }
    }
    if (best === null) return [x, y];
    x += dir * best[0];
    y += dir * best[1];
    left--;
  }
}
