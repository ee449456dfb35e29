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

  /** Borrow an item for `fn`, waiting in FIFO order if all are busy; the item is reset and returned after. */
  async use<R>(fn: (item: T) => Promise<R>): Promise<R> {
    const item = await this.acquire();
    try {
      return await fn(item);
    } finally {
      try {
        await this.reset(item);
      } finally {
        this.release(item);
      }
    }
  }

  private acquire(): Promise<T> {
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(item: T): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(item);
    else this.free.push(item);
  }
}
