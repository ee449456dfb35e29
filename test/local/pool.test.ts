import { describe, expect, it } from "vitest";
import { Pool } from "../../src/local/pool.js";

describe("Pool", () => {
  it("never hands one item to two callers at once, and serves waiters in order", async () => {
    const busy = new Set<string>();
    const order: number[] = [];
    const resets: string[] = [];
    const pool = new Pool(["a", "b"], (x) => {
      resets.push(x);
    });
    const job = (i: number) =>
      pool.use(async (item) => {
        expect(busy.has(item)).toBe(false);
        busy.add(item);
        await new Promise((r) => setImmediate(r));
        busy.delete(item);
        order.push(i);
        return item;
      });
    const got = await Promise.all([0, 1, 2, 3, 4].map(job));
    expect(got.every((x) => x === "a" || x === "b")).toBe(true);
    expect(resets).toHaveLength(5);
    expect(pool.idle).toBe(2);
    expect(order.slice(2)).toEqual([2, 3, 4]);
  });

  it("returns the item even when the job throws", async () => {
    const pool = new Pool([1]);
    await expect(pool.use(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(pool.idle).toBe(1);
    await expect(pool.use(async (x) => x + 1)).resolves.toBe(2);
  });

  it("rejects an empty pool", () => {
    expect(() => new Pool([])).toThrow(/at least one/);
  });
});

describe("Pool.use options", () => {
  it("choose picks the idle item; keep skips the reset", async () => {
    const resets: string[] = [];
    const pool = new Pool(["a", "b", "c"], (x) => {
      resets.push(x);
    });
    expect(await pool.use(async (x) => x, { choose: (idle) => idle.indexOf("a") })).toBe("a");
    expect(resets).toEqual(["a"]);
    expect(await pool.use(async (x) => x, { choose: (idle) => idle.indexOf("b"), keep: true })).toBe("b");
    expect(resets).toEqual(["a"]);
    // An out-of-range choice falls back to the default item instead of failing.
    expect(["a", "b", "c"]).toContain(await pool.use(async (x) => x, { choose: () => 99 }));
    expect(pool.idle).toBe(3);
  });
});
