/** One line of a benchmark table: a measurement and, when there is one, the baseline from the same run. */
export interface BenchRow {
  /** What was measured, e.g. `scheduler rate, R=100 per 5 s`. */
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity without the thing under test, measured in the same run. */
  readonly baseline?: number;
  /** value / baseline, or the bench's own figure of merit (e.g. achieved / limit). */
  readonly ratio?: number;
  /** The goal in words, e.g. `ratio in [0.95, 1.0], zero 429s`. */
  readonly goal?: string;
  /** Whether the goal was met. */
  readonly pass?: boolean;
}

/** A benchmark module registered in `bench/run.ts`. */
export interface Bench {
  readonly name: string;
  run(): Promise<BenchRow[]>;
}
