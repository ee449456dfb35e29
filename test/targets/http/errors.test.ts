import { APIConnectionError, APIError } from "openai";
import { describe, expect, it } from "vitest";
import { TargetError } from "../../../src/core/errors.js";
import { scrub, toTargetError } from "../../../src/targets/http/errors.js";
import { parseShape, tgiResponseSchema } from "../../../src/targets/http/schemas.js";

const ctx = { url: "http://127.0.0.1:9/v1/completions", op: "POST /completions", secrets: ["sk-abcdef123"] };

describe("toTargetError", () => {
  it("classifies SDK status errors with Retry-After and scrubs secrets", () => {
    const headers = new Headers({ "retry-after": "7" });
    const sdk = APIError.generate(429, { error: { message: "slow down sk-abcdef123" } }, undefined, headers);
    const err = toTargetError(sdk, ctx);
    expect(err).toMatchObject({ kind: "rate_limit", status: 429, retryAfterMs: 7000 });
    expect(err.message).toContain("[redacted]");
    expect(err.message).not.toContain("sk-abcdef123");
    expect(err.cause).toBe(sdk);
  });

  it.each([
    [new SyntaxError("Unexpected end of JSON input"), "malformed"],
    [
      new APIConnectionError({ cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }),
      "connection",
    ],
    [Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }), "connection"],
    [new DOMException("The operation was aborted", "AbortError"), "aborted"],
  ] as const)("%s -> %s", (e, kind) => expect(toTargetError(e, ctx).kind).toBe(kind));

  it("prefers our own deadline and abort flags", () => {
    expect(toTargetError(new Error("aborted"), { ...ctx, timedOut: true }).kind).toBe("timeout");
    expect(toTargetError(new Error("aborted"), { ...ctx, aborted: true }).kind).toBe("aborted");
  });

  it("removes request headers from @huggingface/inference errors", () => {
    const hf = Object.assign(new Error("Failed to perform inference"), {
      httpRequest: { url: "u", method: "POST", headers: { Authorization: "Bearer hf_secret" } },
      httpResponse: { requestId: "", status: 503, body: { error: "loading" } },
    });
    const err = toTargetError(hf, ctx);
    expect(err).toMatchObject({ kind: "server", status: 503 });
    expect(JSON.stringify(err.cause)).not.toContain("hf_secret");
  });

  it("passes TargetErrors through", () => {
    const t = new TargetError("quota", "q");
    expect(toTargetError(t, ctx)).toBe(t);
  });

  it("scrub ignores short or empty secrets", () =>
    expect(scrub("abc key", ["", "abc", undefined])).toBe("abc key"));
});

describe("parseShape", () => {
  it("turns a wrong shape into a malformed TargetError naming the field", () => {
    let err: unknown;
    try {
      parseShape(tgiResponseSchema, { generated_text: 3 }, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).kind).toBe("malformed");
    expect((err as TargetError).message).toMatch(/generated_text/);
  });
});
