/** How {@link Pool.use} borrows an item. */
export interface UseOptions<T> {
  /**
   * Pick which idle item to borrow: return an index into `idle` (default: the most recently returned).
   * Waiters woken by a returned item get that item.
   */
  readonly choose?: (idle: readonly T[]) => number;
  /** Hand the item back without running `reset` (it keeps its state, e.g. a cached prompt). Default false. */
  readonly keep?: boolean;
}

/**
 * A fixed pool of exclusive resources (context sequences) with a FIFO wait queue, so that concurrent
 * callers never share a sequence. `use(fn)` borrows one item for the duration of `fn`.
 * @example const pool = new Pool([seqA, seqB], (s) => s.clearHistory()); await pool.use((s) => work(s));
 */
export class Pool<T> {
  private readonly free: T[];
  private readonly waiting: Array<(item: T) => void> = [];

  /**
   * @param items the resources; each is handed to one caller at a time
   * @param reset run on an item before it goes back to the pool (e.g. clear a sequence's history)
   */
  constructor(
    items: readonly T[],
    private readonly reset: (item: T) => Promise<void> | void = () => {},
  ) {
    if (items.length === 0) throw new RangeError("Expected at least one pool item, got 0.");
    this.free = [...items];
  }

  /** Items currently idle. */
  get idle(): number {
    return this.free.length;
  }

  /**
   * Borrow an item for `fn`, waiting in FIFO order if all are busy; the item is reset (unless `keep`) and
   * returned after.
   */
  async use<R>(fn: (item: T) => Promise<R>, opts: UseOptions<T> = {}): Promise<R> {
    const item = await this.acquire(opts.choose);
    try {
      return await fn(item);
    } finally {
      try {
        if (opts.keep !== true) await this.reset(item);
      } finally {
        this.release(item);
      }
    }
  }

  private acquire(choose: UseOptions<T>["choose"]): Promise<T> {
    if (this.free.length > 0) {
      const picked = choose ? choose(this.free) : this.free.length - 1;
      const i =
        Number.isInteger(picked) && picked >= 0 && picked < this.free.length ? picked : this.free.length - 1;
      return Promise.resolve(this.free.splice(i, 1)[0]!);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(item: T): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(item);
    else this.free.push(item);
  }
}
