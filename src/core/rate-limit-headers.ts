/**
 * What a provider said about its remaining rate-limit allowance (OpenAI-style `x-ratelimit-*` headers).
 * Feed it to `Scheduler.noteRateLimit` so the scheduler pauses before the server has to send a 429.
 */
export interface RateLimitInfo {
  readonly remainingRequests?: number;
  /** Time until the request allowance resets, in ms. */
  readonly resetRequestsMs?: number;
  readonly remainingTokens?: number;
  /** Time until the token allowance resets, in ms. */
  readonly resetTokensMs?: number;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/**
 * Parse a Go-style duration as OpenAI sends in `x-ratelimit-reset-*` (`12ms`, `1s`, `6m0s`, `1.5s`)
 * into milliseconds; a bare number is taken as seconds. Returns undefined when it does not parse.
 *
 * @example
 * parseGoDuration("6m0s"); // 360000
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = re.lastIndex;
  }
  return end === s.length ? total : undefined;
}

/**
 * Read `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests`, `x-ratelimit-remaining-tokens`
 * and `x-ratelimit-reset-tokens`; fields that are missing or unparsable are left out.
 */
export function parseRateLimitHeaders(headers: { get(name: string): string | null }): RateLimitInfo {
  const num = (name: string): number | undefined => {
    const v = headers.get(name);
    return v !== null && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const dur = (name: string): number | undefined => {
    const v = headers.get(name);
    return v === null ? undefined : parseGoDuration(v);
  };
  const info: {
    remainingRequests?: number;
    resetRequestsMs?: number;
    remainingTokens?: number;
    resetTokensMs?: number;
  } = {};
  const rr = num("x-ratelimit-remaining-requests");
  if (rr !== undefined) info.remainingRequests = rr;
  const rq = dur("x-ratelimit-reset-requests");
  if (rq !== undefined) info.resetRequestsMs = rq;
  const rt = num("x-ratelimit-remaining-tokens");
  if (rt !== undefined) info.remainingTokens = rt;
  const rk = dur("x-ratelimit-reset-tokens");
  if (rk !== undefined) info.resetTokensMs = rk;
  return info;
}
