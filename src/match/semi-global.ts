/**
 * Semi-global edit distance (Sellers 1980): the minimum, over all substrings `t` of the text, of
 * Levenshtein(pattern, t), with the best substring's span. A leaked secret can sit anywhere in a long
 * output; global Levenshtein against the whole output would be meaningless.
 */

/** Result of a semi-global alignment. `[start, end)` is the best matching span of the text (UTF-16 units). */
export interface SemiGlobalMatch {
  /** Edit distance between the pattern and `text.slice(start, end)`. */
  readonly distance: number;
  readonly start: number;
  readonly end: number;
  /** `distance / pattern.length` (0 for an empty pattern). */
  readonly normalized: number;
}

/**
 * Sellers' dynamic programme in O(|pattern|·|text|) time and O(|pattern|) space, tracking where the best
 * alignment starts. Among equally good spans, the end is the last of the first run of consecutive best
 * ends for a near match (so a substitution covers the whole substituted span: "abd" rather than "ab" for pattern "abc").
 * @example semiGlobalDp("abc", "xxabdxx") // { distance: 1, start: 2, end: 5, normalized: 1/3 }
 */
export function semiGlobalDp(pattern: string, text: string): SemiGlobalMatch {
  const m = pattern.length;
  if (m === 0) return { distance: 0, start: 0, end: 0, normalized: 0 };
  // Column-wise over the text: cost[i] = D[i][j], from[i] = start of the alignment ending at (i, j).
  const cost = new Int32Array(m + 1);
  const from = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) cost[i] = i;
  let best = m;
  let bestStart = 0;
  let bestEnd = 0;
  for (let j = 1; j <= text.length; j++) {
    const tc = text.charCodeAt(j - 1);
    let diagCost = cost[0]!;
    let diagFrom = from[0]!;
    cost[0] = 0;
    from[0] = j;
    for (let i = 1; i <= m; i++) {
      const upCost = cost[i - 1]! + 1; // pattern char deleted
      const leftCost = cost[i]! + 1; // text char inserted
      const subCost = diagCost + (pattern.charCodeAt(i - 1) === tc ? 0 : 1);
      const prevCost = cost[i]!;
      const prevFrom = from[i]!;
      if (subCost <= upCost && subCost <= leftCost) {
        cost[i] = subCost;
        from[i] = diagFrom;
      } else if (upCost <= leftCost) {
        cost[i] = upCost;
        from[i] = from[i - 1]!;
      } else {
        cost[i] = leftCost;
      }
      diagCost = prevCost;
      diagFrom = prevFrom;
    }
    const c = cost[m]!;
    if (c < best || (c === best && best > 0 && best < m && bestEnd === j - 1)) {
      best = c;
      bestStart = from[m]!;
      bestEnd = j;
    }
  }
  return { distance: best, start: bestStart, end: bestEnd, normalized: best / m };
}

/**
 * A pattern's match masks for `semiGlobalDistance`: one row of `blocks` 32-bit words per distinct unit
 * (row 0: units not in the pattern), ASCII rows found by table. Build once to measure one pattern against
 * several texts.
 */
export interface PatternMasks {
  readonly length: number;
  readonly blocks: number;
  readonly rows: Int32Array;
  /** Row of each ASCII unit (0 when absent). */
  readonly ascii: Int32Array;
  /** Row of each other unit of the pattern. */
  readonly other: Map<number, number>;
}

/** The match masks of `pattern`. */
export function patternMasks(pattern: string): PatternMasks {
  const m = pattern.length;
  const blocks = Math.max(1, (m + 31) >>> 5);
  const ascii = new Int32Array(128);
  const other = new Map<number, number>();
  let rowsUsed = 1;
  const rowOf = (c: number): number => {
    if (c < 128) {
      if (ascii[c] === 0) ascii[c] = rowsUsed++;
      return ascii[c]!;
    }
    let r = other.get(c);
    if (r === undefined) {
      r = rowsUsed++;
      other.set(c, r);
    }
    return r;
  };
  const rowIndex = new Int32Array(m);
  for (let i = 0; i < m; i++) rowIndex[i] = rowOf(pattern.charCodeAt(i));
  const rows = new Int32Array(rowsUsed * blocks);
  for (let i = 0; i < m; i++) rows[rowIndex[i]! * blocks + (i >>> 5)]! |= 1 << (i & 31);
  return { length: m, blocks, rows, ascii, other };
}

/**
 * The semi-global edit distance alone (`semiGlobalDp(pattern, text).distance`), bit-parallel over 32-unit
 * blocks of the pattern (Myers 1999, blocks as in Hyyrö 2003 and edlib): about 32 times fewer steps than
 * the DP, for long patterns as well. Used to reject or accept before paying for the span. Pass
 * `patternMasks(pattern)` to measure one pattern against several texts.
 * @example semiGlobalDistance("abc", "xxabdxx") // 1
 */
export function semiGlobalDistance(pattern: string | PatternMasks, text: string): number {
  return myersBlocks(typeof pattern === "string" ? patternMasks(pattern) : pattern, text).distance;
}

/**
 * The semi-global edit distance with the end of the best span (the DP's tie rule: the last of the first
 * run of best ends for a near match), bit-parallel as `semiGlobalDistance`. Pass the result to
 * `semiGlobalBanded` to place the span without a second pass.
 * @example semiGlobalEnd(patternMasks("abc"), "xxabdxx") // { distance: 1, end: 5 }
 */
export function semiGlobalEnd(masks: PatternMasks, text: string): { distance: number; end: number } {
  return myersBlocks(masks, text);
}

/** Best distance and its end (the DP's tie rule: the last of the first run of best ends for a near match). */
function myersBlocks(masks: PatternMasks, text: string): { distance: number; end: number } {
  const m = masks.length;
  if (m === 0) return { distance: 0, end: 0 };
  const { blocks, rows, ascii, other } = masks;
  // Signed 32-bit words (`| 0`) and no branches on the carries: the horizontal delta between blocks is
  // kept as two bits, `hp` (+1) and `hm` (-1), since Ph and Mh never share a bit.
  const pv = new Int32Array(blocks).fill(-1);
  const mv = new Int32Array(blocks);
  const last = blocks - 1;
  const lastShift = (m - 1) & 31;
  let score = m;
  let best = m;
  let bestEnd = 0;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    const base = (c < 128 ? ascii[c]! : (other.get(c) ?? 0)) * blocks;
    // The delta entering block 0 from row 0 is 0: D[0][j] = 0 for every j (free start in the text).
    let hp = 0;
    let hm = 0;
    for (let b = 0; b <= last; b++) {
      const top = b === last ? lastShift : 31;
      const p = pv[b]!;
      const n = mv[b]!;
      let eq = rows[base + b]! | 0;
      const xv = eq | n;
      eq |= hm;
      const xh = ((((eq & p) + p) | 0) ^ p) | eq;
      const ph = n | ~(xh | p);
      const mh = p & xh;
      const op = (ph >>> top) & 1;
      const om = (mh >>> top) & 1;
      const sph = (ph << 1) | hp;
      const smh = (mh << 1) | hm;
      pv[b] = smh | ~(xv | sph);
      mv[b] = sph & xv;
      hp = op;
      hm = om;
    }
    score += hp - hm;
    if (score < best || (score === best && best > 0 && best < m && bestEnd === j)) {
      best = score;
      bestEnd = j + 1;
      if (best === 0) break;
    }
  }
  return { distance: best, end: bestEnd };
}

/**
 * `semiGlobalDp(pattern, text)` from the bit-parallel pass and a DP over a band: the pass gives the best
 * distance d and end E (the DP's rule), and every alignment of cost at most d ending at E lies on the
 * diagonals E - m - d to E - m + d (each step off a diagonal costs an edit), so the DP over those
 * 2d + 1 diagonals, with the same choice order, finds the same start: O(m·d) instead of O(m·|text|).
 * `known`: the pass's result for this pattern and text (`semiGlobalEnd`), when the caller has it.
 * @example semiGlobalBanded("abc", "xxabdxx") // { distance: 1, start: 2, end: 5, normalized: 1/3 }
 */
export function semiGlobalBanded(
  pattern: string,
  text: string,
  masks: PatternMasks = patternMasks(pattern),
  known?: { readonly distance: number; readonly end: number },
): SemiGlobalMatch {
  const m = pattern.length;
  if (m === 0) return { distance: 0, start: 0, end: 0, normalized: 0 };
  const { distance: d, end: e } = known ?? myersBlocks(masks, text);
  if (d >= m) return { distance: m, start: 0, end: 0, normalized: 1 };
  const lo = e - m - d;
  const width = 2 * d + 1;
  const INF = 1 << 29;
  // Two rows of the band (cell (i, j) at 1 + j - i - lo), between guard cells that stay INF: no bounds
  // checks in the inner loop. `from` is the text offset where the alignment ending at a cell starts.
  const w = width + 2;
  let prevCost = new Int32Array(w).fill(INF);
  let prevFrom = new Int32Array(w);
  let cost = new Int32Array(w);
  let from = new Int32Array(w);
  for (let x = 0; x < width; x++) {
    const j = lo + x;
    if (j >= 0 && j <= e) {
      prevCost[x + 1] = 0;
      prevFrom[x + 1] = j;
    }
  }
  for (let i = 1; i <= m; i++) {
    const pc = pattern.charCodeAt(i - 1);
    cost.fill(INF);
    const first = Math.max(0, -i - lo);
    const last = Math.min(width - 1, e - i - lo);
    for (let x = first; x <= last; x++) {
      const j = i + lo + x;
      const at = x + 1;
      if (j === 0) {
        cost[at] = i;
        from[at] = 0;
        continue;
      }
      const subCost = prevCost[at]! + (pc === text.charCodeAt(j - 1) ? 0 : 1);
      const upCost = prevCost[at + 1]! + 1;
      const leftCost = cost[at - 1]! + 1;
      if (subCost <= upCost && subCost <= leftCost) {
        cost[at] = subCost;
        from[at] = prevFrom[at]!;
      } else if (upCost <= leftCost) {
        cost[at] = upCost;
        from[at] = prevFrom[at + 1]!;
      } else {
        cost[at] = leftCost;
        from[at] = from[at - 1]!;
      }
    }
    [prevCost, cost] = [cost, prevCost];
    [prevFrom, from] = [from, prevFrom];
  }
  const at = 1 + e - m - lo;
  if (prevCost[at] !== d) throw new Error(`banded alignment found ${prevCost[at]} edits, expected ${d}`);
  return { distance: d, start: prevFrom[at]!, end: e, normalized: d / m };
}

/**
 * Best semi-global match of `pattern` in `text`, exactly `semiGlobalDp`'s (distance, span, ties), by
 * `semiGlobalBanded`: bit-parallel over the text, then a DP over 2d + 1 diagonals for the start.
 * Distance 0 if and only if the pattern occurs verbatim in the text.
 * @example semiGlobal("4437", "code 4 4437 x") // { distance: 0, start: 7, end: 11, normalized: 0 }
 */
export function semiGlobal(pattern: string, text: string): SemiGlobalMatch {
  return semiGlobalBanded(pattern, text);
}
