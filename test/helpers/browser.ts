import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { describe } from "vitest";

/** Debian's chromium (installed by .ci/run with apt-get). */
export const CHROMIUM = process.env.MEMSCAN_CHROMIUM ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Flags that keep a headless Chromium off the network and out of any shared profile. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `describe` for browser suites; skipped with a clear message when Chromium is not installed. */
export const describeBrowser: typeof describe = HAS_CHROMIUM
  ? describe
  : (((name: string, ...rest: unknown[]) =>
      // biome-ignore lint/suspicious/noExplicitAny: forwarding vitest's overloads
      (describe.skip as any)(
        `${name} [skipped: no Chromium at ${CHROMIUM}; apt-get install chromium (as .ci/run does) or set MEMSCAN_CHROMIUM]`,
        ...rest,
      )) as typeof describe);

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium with a fresh profile (a new --user-data-dir, removed on close).
 * `bypassCSP` lets a test check that escaping alone keeps hostile text inert.
 */
export async function launchBrowser(
  opts: { bypassCSP?: boolean; javaScriptEnabled?: boolean } = {},
): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "memscan-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    offline: true,
    ...(opts.bypassCSP ? { bypassCSP: true } : {}),
    ...(opts.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
