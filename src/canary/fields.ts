import { ConfigError } from "../core/errors.js";

/** Where a value came from, for error messages: `canaries.jsonl line 4`. */
export interface Place {
  readonly source: string;
  /** `line 4`, `item 2`. */
  readonly where: string;
}

/** Short rendering of a found value for "got ..." in messages. */
export function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A ConfigError that names the file, the place in it and the field. */
export function fieldError(
  place: Place,
  field: string,
  expected: string,
  value: unknown,
  fix: string,
): ConfigError {
  return new ConfigError(
    `${place.source} ${place.where}: expected \`${field}\` to be ${expected}, got ${shown(value)}; ${fix}`,
  );
}

/** Typed getters over one parsed JSON object, each throwing a {@link fieldError}. */
export class Fields {
  constructor(
    readonly obj: Readonly<Record<string, unknown>>,
    readonly place: Place,
    readonly fix: string,
  ) {}

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  /** The first of `keys` that is present, or undefined. */
  pick(...keys: string[]): string | undefined {
    return keys.find((k) => this.has(k));
  }

  string(key: string, opts: { nonEmpty?: boolean } = {}): string {
    const v = this.obj[key];
    if (typeof v !== "string" || (opts.nonEmpty && v.trim() === "")) {
      throw fieldError(this.place, key, opts.nonEmpty ? "a non-empty string" : "a string", v, this.fix);
    }
    return v;
  }

  optString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  int(key: string, min = 0): number {
    const v = this.obj[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw fieldError(this.place, key, `an integer ≥ ${min}`, v, this.fix);
    }
    return v;
  }

  optInt(key: string, min = 0): number | undefined {
    return this.has(key) ? this.int(key, min) : undefined;
  }

  positive(key: string): number {
    const v = this.obj[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      throw fieldError(this.place, key, "a positive number", v, this.fix);
    }
    return v;
  }

  finite(key: string): number {
    const v = this.obj[key];
    if (typeof v !== "number" || !Number.isFinite(v))
      throw fieldError(this.place, key, "a finite number", v, this.fix);
    return v;
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    if (typeof v !== "boolean") throw fieldError(this.place, key, "true or false", v, this.fix);
    return v;
  }

  object(key: string): Fields {
    const v = this.obj[key];
    if (!isRecord(v)) throw fieldError(this.place, key, "an object", v, this.fix);
    return new Fields(v, this.place, this.fix);
  }

  numbers(key: string): number[] {
    const v = this.obj[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw fieldError(this.place, key, "an array of finite numbers", v, this.fix);
    }
    return v as number[];
  }
}

/** A plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
