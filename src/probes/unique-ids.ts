import { ConfigError } from "../core/errors.js";

/**
 * Throw a ConfigError when two items share an id: attempt keys and evidence are built from ids, so they must
 * be unique.
 */
export function assertUniqueIds(
  items: readonly { readonly id: string }[],
  what: string,
  probeId: string,
): void {
  const seen = new Set<string>();
  for (const { id } of items) {
    if (seen.has(id)) {
      throw new ConfigError(
        `Expected every ${what} id to be unique for probe \`${probeId}\`, found \`${id}\` more than once; ` +
          `give each ${what} its own id (or remove the duplicate).`,
      );
    }
    seen.add(id);
  }
}
