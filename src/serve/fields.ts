import { describe, HttpError } from "./http.js";

/** A JSON object from a request body. */
export type Body = Readonly<Record<string, unknown>>;

function bad(param: string, expected: string, got: unknown): HttpError {
  return new HttpError(
    400,
    `Expected \`${param}\` to be ${expected}, got ${describe(got)}.`,
    param,
    "invalid_type",
  );
}

/**
 * Optional integer field in [min, max]; `undefined`/`null` → `fallback`. Wrong type or range → 400 naming it.
 * @example int(body, "max_tokens", 16, 0, 2048)
 */
export function int(
  body: Body,
  key: string,
  fallback: number,
  min: number,
  max: number,
  param = key,
): number {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw bad(param, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

/** Optional integer with no fallback (undefined when absent). */
export function optInt(body: Body, key: string, min: number, max: number, param = key): number | undefined {
  const v = body[key];
  return v === undefined || v === null ? undefined : int(body, key, 0, min, max, param);
}

/** Optional finite number in [min, max]; absent → `fallback`. */
export function num(
  body: Body,
  key: string,
  fallback: number,
  min: number,
  max: number,
  param = key,
): number {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw bad(param, `a number from ${min} to ${max}`, v);
  }
  return v;
}

/** Optional boolean; absent → `fallback`. */
export function bool(body: Body, key: string, fallback: boolean, param = key): boolean {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw bad(param, "a boolean", v);
  return v;
}

/** `stop`: a string or up to `max` strings; absent → []. */
export function stops(body: Body, key: string, max = 4, param = key): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length <= max && v.every((s) => typeof s === "string")) return v as string[];
  throw bad(param, `a string or an array of at most ${max} strings`, v);
}

/** Optional nested object (e.g. TGI `parameters`); absent → {}. */
export function obj(body: Body, key: string): Body {
  const v = body[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw bad(key, "an object", v);
  return v as Body;
}
