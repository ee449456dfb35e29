/** Greedy extension of an exact match past small edits (used to extend corpus seed chains). */

/** A bounded view: `u[lo, hi)`. */
export interface Bounded {
  readonly u: Uint16Array;
  readonly lo: number;
  readonly hi: number;
}

/** Run of equal units from (i, j) stepping by `dir` (+1 right, -1 left: compares i-1, j-1). */
function runLength(a: Bounded, b: Bounded, i: number, j: number, dir: 1 | -1, cap: number): number {
  let n = 0;
  const off = dir === 1 ? 0 : -1;
  const au = a.u;
  const bu = b.u;
  while (n < cap) {
    const x = i + dir * n + off;
    const y = j + dir * n + off;
    if (x < a.lo || y < b.lo || x >= a.hi || y >= b.hi || au[x] !== bu[y]) break;
    n++;
  }
  return n;
}

/**
 * Greedy extension past the ends of a chain, allowing up to `budget` single edits, each of which must be
 * followed by an exact run of at least 4 units. Returns the new ends in `a` and `b`.
 */
export function extendGreedy(
  a: Bounded,
  b: Bounded,
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
    let bestRun = 3;
    let bx = -1;
    let by = -1;
    for (let o = 0; o < 3; o++) {
      const dx = o === 2 ? 0 : 1;
      const dy = o === 1 ? 0 : 1;
      const r = runLength(a, b, x + dir * dx, y + dir * dy, dir, 16);
      if (r > bestRun) {
        bestRun = r;
        bx = dx;
        by = dy;
      }
    }
    if (bx < 0) return [x, y];
    x += dir * bx;
    y += dir * by;
    left--;
  }
}
