/** Base-URL handling shared by HTTP targets. */
import { ConfigError } from "../../core/errors.js";

/**
 * Validate `raw` as an http(s) URL and return it without credentials, query, fragment or trailing
 * slash, safe to show in `info.endpoint`, errors and logs.
 *
 * @example
 * cleanBaseUrl("http://user:pw@127.0.0.1:8080/v1/?k=1", "baseUrl") // "http://127.0.0.1:8080/v1"
 */
export function cleanBaseUrl(raw: string, field: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(
      `Expected \`${field}\` to be an http(s) URL such as http://127.0.0.1:8080/v1, got "${raw}".`,
    );
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new ConfigError(`Expected \`${field}\` to use http or https, got "${u.protocol}"; fix the URL.`);
  }
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return u.toString().replace(/\/+$/, "");
}
