/** Common prefixes and the longest common substring. */

/**
 * Length of the longest common prefix, in UTF-16 units.
 * @example commonPrefixLength("abcd", "abxy") // 2
 */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Whitespace-delimited tokens (a tokenizer-free stand-in for model tokens).
 * @example wordTokens(" a  b\nc ") // ["a", "b", "c"]
 */
export function wordTokens(text: string): string[] {
  return text.split(/\s+/u).filter((t) => t.length > 0);
}

/**
 * Number of leading tokens two token lists share exactly.
 * @example commonTokenPrefix(["a", "b", "c"], ["a", "b", "x"]) // 2
 */
export function commonTokenPrefix(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** A longest common substring: its length and where it starts in each string. */
export interface CommonSubstring {
  readonly length: number;
  readonly aStart: number;
  readonly bStart: number;
}

interface SamState {
  len: number;
  link: number;
  /** End position (inclusive) of the first occurrence. */
  firstEnd: number;
  next: Map<number, number>;
}

function buildSuffixAutomaton(s: string): SamState[] {
  const st: SamState[] = [{ len: 0, link: -1, firstEnd: -1, next: new Map() }];
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const cur = st.length;
    st.push({ len: st[last]!.len + 1, link: 0, firstEnd: i, next: new Map() });
    let p = last;
    while (p !== -1 && !st[p]!.next.has(c)) {
      st[p]!.next.set(c, cur);
      p = st[p]!.link;
    }
    if (p !== -1) {
      const q = st[p]!.next.get(c)!;
      if (st[p]!.len + 1 === st[q]!.len) st[cur]!.link = q;
      else {
        const clone = st.length;
        const sq = st[q]!;
        st.push({ len: st[p]!.len + 1, link: sq.link, firstEnd: sq.firstEnd, next: new Map(sq.next) });
        while (p !== -1 && st[p]!.next.get(c) === q) {
          st[p]!.next.set(c, clone);
          p = st[p]!.link;
        }
        sq.link = clone;
        st[cur]!.link = clone;
      }
    }
    last = cur;
  }
  return st;
}

/**
 * A longest common substring of `a` and `b`, in O(|a| + |b|) with a suffix automaton over the shorter
 * string. The first occurrence in the longer string wins ties.
 * @example longestCommonSubstring("xxabcdyy", "zabcdz") // { length: 4, aStart: 2, bStart: 1 }
 */
export function longestCommonSubstring(a: string, b: string): CommonSubstring {
  if (a.length === 0 || b.length === 0) return { length: 0, aStart: 0, bStart: 0 };
  const swap = a.length > b.length;
  const short = swap ? b : a;
  const long = swap ? a : b;
  const st = buildSuffixAutomaton(short);
  let v = 0;
  let len = 0;
  let best = 0;
  let bestLongEnd = 0;
  let bestShortEnd = 0;
  for (let i = 0; i < long.length; i++) {
    const c = long.charCodeAt(i);
    while (v !== 0 && !st[v]!.next.has(c)) {
      v = st[v]!.link;
      len = st[v]!.len;
    }
    const to = st[v]!.next.get(c);
    if (to !== undefined) {
      v = to;
      len++;
    }
    if (len > best) {
      best = len;
      bestLongEnd = i;
      bestShortEnd = st[v]!.firstEnd;
    }
  }
  if (best === 0) return { length: 0, aStart: 0, bStart: 0 };
  const shortStart = bestShortEnd - best + 1;
  const longStart = bestLongEnd - best + 1;
  return swap
    ? { length: best, aStart: longStart, bStart: shortStart }
    : { length: best, aStart: shortStart, bStart: longStart };
}
