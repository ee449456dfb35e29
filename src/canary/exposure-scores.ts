import { readFile } from "node:fs/promises";
import { ConfigError, errorMessage } from "../core/errors.js";
import {
  type ExtrapolatedExposure,
  extrapolatedExposure,
  type InterpolatedExposure,
  interpolatedExposure,
} from "./exposure.js";
import { Fields, fieldError, isRecord } from "./fields.js";
import { fitSkewNormal, type SkewNormalFit } from "./skew-normal-fit.js";

/** The default perplexity unit: mean per-token negative log-likelihood in nats. */
export const PERPLEXITY_UNIT = "mean-nll-nats";

/**
 * Units a scores file may use: mean per-token NLL (tf-privacy's notebook) or total NLL of the secret's
 * tokens (the Secret Sharer's log-perplexity, what `memscan canary exposure --target` measures). Both rank
 * alike when candidates have equal token counts; any one unit must be used throughout a file.
 */
export const PERPLEXITY_UNITS = [PERPLEXITY_UNIT, "total-nll-nats"] as const;

/** One canary's scores: its secret's perplexity and its same-format references' perplexities. */
export interface CanaryScores {
  readonly id: string;
  readonly insertCount: number;
  readonly control: boolean;
  readonly secretPerplexity: number;
  readonly referencePerplexities: readonly number[];
  /** Size of the secret's randomness space, when known: extrapolation is capped at its log2. */
  readonly spaceSize?: number;
}

/** The `--scores scores.json` input (format in `canaries/README.md`). */
export interface ScoresInput {
  readonly canaries: readonly CanaryScores[];
}

/** Exposure of one canary by both estimators. */
export interface CanaryExposure {
  readonly id: string;
  readonly insertCount: number;
  readonly control: boolean;
  readonly secretPerplexity: number;
  readonly references: number;
  /** log2 of the space size, when the scores file gave it. */
  readonly spaceBits: number | null;
  readonly interpolation: InterpolatedExposure;
  /** Null when the references cannot be fitted; `extrapolationError` says why. */
  readonly extrapolation: ExtrapolatedExposure | null;
  readonly extrapolationError?: string;
}

/**
 * Exposure for every canary, by interpolation and by skew-normal extrapolation. Canaries that share
 * the same reference array (the same object) share one fit.
 *
 * @example exposureFromScores({ canaries: [{ id: "c0", insertCount: 4, control: false, secretPerplexity: 0.1, referencePerplexities: refs }] })
 */
export function exposureFromScores(input: ScoresInput): CanaryExposure[] {
  const fits = new Map<readonly number[], SkewNormalFit | Error>();
  return input.canaries.map((c) => {
    const refs = c.referencePerplexities;
    let fit = fits.get(refs);
    if (fit === undefined) {
      try {
        fit = fitSkewNormal(refs);
      } catch (err) {
        fit = err instanceof Error ? err : new Error(String(err));
      }
      fits.set(refs, fit);
    }
    const base = {
      id: c.id,
      insertCount: c.insertCount,
      control: c.control,
      secretPerplexity: c.secretPerplexity,
      references: refs.length,
      spaceBits: c.spaceSize === undefined ? null : Math.log2(c.spaceSize),
      interpolation: interpolatedExposure(c.secretPerplexity, refs),
    };
    return fit instanceof Error
      ? { ...base, extrapolation: null, extrapolationError: fit.message }
      : { ...base, extrapolation: extrapolatedExposure(c.secretPerplexity, refs, fit) };
  });
}

const FIX = "fix the scores file (format: canaries/README.md)";

/**
 * Validate a parsed scores JSON value. A top-level `referencePerplexities` is used by every canary that
 * has none of its own; `unit`, when present, must be `mean-nll-nats`.
 *
 * @throws ConfigError naming the source, the canary index, the field, expected and found.
 */
export function parseScores(value: unknown, source: string): ScoresInput {
  const top = { source, where: "(top level)" };
  if (!isRecord(value)) throw fieldError(top, "(document)", "a JSON object with `canaries`", value, FIX);
  const f = new Fields(value, top, FIX);
  if (f.has("unit") && !(PERPLEXITY_UNITS as readonly string[]).includes(f.string("unit"))) {
    throw fieldError(
      top,
      "unit",
      PERPLEXITY_UNITS.map((u) => `"${u}"`).join(" or "),
      value.unit,
      "convert the perplexities to negative log-likelihoods in nats (mean per token, or total)",
    );
  }
  const sharedSpace = f.has("spaceSize") ? f.positive("spaceSize") : undefined;
  const shared = f.has("referencePerplexities") ? f.numbers("referencePerplexities") : undefined;
  if (!Array.isArray(value.canaries) || value.canaries.length === 0) {
    throw fieldError(top, "canaries", "a non-empty array", value.canaries, FIX);
  }
  return {
    canaries: value.canaries.map((entry: unknown, i: number): CanaryScores => {
      const place = { source, where: `canaries[${i}]` };
      if (!isRecord(entry)) throw fieldError(place, "(entry)", "an object", entry, FIX);
      const c = new Fields(entry, place, FIX);
      const refs = c.has("referencePerplexities") ? c.numbers("referencePerplexities") : shared;
      if (!refs || refs.length === 0) {
        throw fieldError(
          place,
          "referencePerplexities",
          "a non-empty array of finite numbers (here or at the top level)",
          entry.referencePerplexities,
          FIX,
        );
      }
      const insertCount = c.int("insertCount");
      const spaceSize = c.has("spaceSize") ? c.positive("spaceSize") : sharedSpace;
      return {
        ...(spaceSize !== undefined ? { spaceSize } : {}),
        id: c.string("id", { nonEmpty: true }),
        insertCount,
        control: c.has("control") ? c.bool("control") : insertCount === 0,
        secretPerplexity: c.finite("secretPerplexity"),
        referencePerplexities: refs,
      };
    }),
  };
}

/** Read and validate a scores JSON file. @throws ConfigError */
export async function readScores(path: string): Promise<ScoresInput> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`Expected a readable scores JSON file at ${path}, got: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  return parseScores(value, path);
}
