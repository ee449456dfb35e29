/** Finding one known secret (a canary's, a record's field) anywhere in an output, exactly or nearly. */
import { type NormalForm, type Normalized, normalize, toRawSpan } from "../match/normalize.js";
import { semiGlobal } from "../match/semi-global.js";

/** How near a near hit must be. */
export interface NearOptions {
  /** Largest normalised semi-global distance of a near hit. */
  readonly nearThreshold: number;
  /** Shortest normalised secret for which a near hit means anything. */
  readonly minNearLength: number;
}

/** A secret found in an output: raw span, raw text, normalised distance. */
export interface SecretHit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Semi-global distance divided by the normalised secret length; 0 for an exact hit. */
  readonly distance: number;
  readonly exact: boolean;
}

/**
 * Pick the normal form for a secret: `digits` when the hint says so or when the secret is mostly digits
 * (at least 4, and at least 60% of its non-space characters); `text` otherwise.
 * @example formFor("7 0 0 5 0 0 4 2 6") // "digits"
 */
export function formFor(secret: string, hint?: string): NormalForm {
  if (hint === "digits") return "digits";
  const compact = secret.replace(/\s+/gu, "");
  const digits = normalize(compact, "digits").text.length;
  return digits >= 4 && digits >= 0.6 * compact.length ? "digits" : "text";
}

/** Memoised normalisations of one string, by form. */
export class NormCache {
  private readonly forms = new Map<NormalForm, Normalized>();
  constructor(readonly raw: string) {}
  get(form: NormalForm): Normalized {
    let n = this.forms.get(form);
    if (n === undefined) {
      n = normalize(this.raw, form);
      this.forms.set(form, n);
    }
    return n;
  }
}

/**
 * Best occurrence of `secret` in the text by semi-global edit distance after normalisation to `form`;
 * null unless exact, or near (distance ≤ `nearThreshold`, secret ≥ `minNearLength` normalised units).
 */
export function matchSecret(
  secret: string,
  form: NormalForm,
  text: NormCache,
  opts: NearOptions,
): SecretHit | null {
  const pattern = normalize(secret, form).text.trim();
  if (pattern.length === 0) return null;
  const norm = text.get(form);
  if (norm.text.length === 0) return null;
  const m = semiGlobal(pattern, norm.text);
  const exact = m.distance === 0;
  if (!exact && (pattern.length < opts.minNearLength || m.normalized > opts.nearThreshold)) return null;
  const [start, end] = toRawSpan(norm, m.start, m.end);
  return { start, end, text: text.raw.slice(start, end), distance: m.normalized, exact };
}
