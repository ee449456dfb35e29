import { readFileSync } from "node:fs";
import { DEMO } from "../helpers/lab.js";

/** POST JSON and return status, parsed body and headers. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** The demo canaries (prefix, secret, planted copies). */
export const demoCanaries = readFileSync(DEMO.canaries, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { prefix: string; secret: string; insert_count: number; control: boolean });

/** True when a raw JSON request body carries one of the demo canary prefixes (a canary probe's attempt). */
export function isCanaryAttempt(body: string): boolean {
  return demoCanaries.some((c) => body.includes(JSON.stringify(c.prefix).slice(1, -1)));
}
