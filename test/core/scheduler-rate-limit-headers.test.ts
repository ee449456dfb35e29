import { describe, expect, it } from "vitest";
import { parseGoDuration, parseRateLimitHeaders } from "../../src/core/rate-limit-headers.js";

describe("parseGoDuration", () => {
  it.each([
    ["12ms", 12],
    ["1s", 1000],
    ["6m0s", 360_000],
    ["1.5s", 1500],
    ["1h2m3s", 3_723_000],
    ["250us", 0.25],
    ["2", 2000],
    ["", undefined],
    ["soon", undefined],
    ["5s later", undefined],
  ])("%s -> %s ms", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe("parseRateLimitHeaders", () => {
  it("reads the four OpenAI headers and leaves out missing or bad ones", () => {
    const headers = new Headers({
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "6m0s",
      "x-ratelimit-remaining-tokens": "n/a",
    });
    expect(parseRateLimitHeaders(headers)).toEqual({ remainingRequests: 0, resetRequestsMs: 360_000 });
    expect(parseRateLimitHeaders(new Headers())).toEqual({});
  });
});
