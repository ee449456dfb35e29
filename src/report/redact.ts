import { sha256 } from "../core/hash.js";
import type { Evidence } from "../detectors/types.js";
import type { AttemptMeta } from "../probes/types.js";
import type { ReportEvidence } from "./events.js";

/**
 * Masking of leaked text. Reports carry hashes, offsets and lengths; the raw text only with --reveal.
 * A masked value shows none of its characters: even two digits of a nine-digit secret are a leak.
 * `digest`: the text's `sha256`, when the caller has computed it already (for the report's own field).
 */
export function mask(text: string, digest: string = sha256(text)): string {
  return `[redacted ${text.length} chars sha256:${digest.slice(0, 12)}]`;
}

export function reportEvidence(ev: Evidence, reveal: boolean): ReportEvidence {
  const digest = sha256(ev.text);
  return {
    start: ev.start,
    end: ev.end,
    excerpt: reveal ? ev.text : mask(ev.text, digest),
    sha256: digest,
    source: ev.source,
    ...(ev.distance !== undefined ? { distance: ev.distance } : {}),
  };
}

/** Attempt metadata safe for a report: hidden values and true suffixes are masked unless revealed. */
export function reportMeta(meta: AttemptMeta, reveal: boolean): AttemptMeta {
  if (reveal) return meta;
  if (meta.kind === "prefix") return { ...meta, suffix: mask(meta.suffix) };
  if (meta.kind === "attribute") return { ...meta, value: mask(meta.value) };
  return meta;
}
