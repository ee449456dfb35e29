import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { addHashes, distinctSorted, emptyFilter, filterBits, mayHold } from "../../src/match/hash-filter.js";

describe("hash filter", () => {
  it("holds every added hash and rejects most others at a few percent occupancy", () => {
    const rng = new Rng(8, "filter");
    const added = Uint32Array.from({ length: 20_000 }, () => rng.int(2 ** 32) >>> 0);
    const f = emptyFilter(filterBits(added.length));
    expect(f.bits).toBe(17); // 4 bits per posting: 2^17 for 20,000
    addHashes(f, added);
    for (const h of added) expect(mayHold(f, h)).toBe(true);
    let passed = 0;
    for (let i = 0; i < 20_000; i++) if (mayHold(f, rng.int(2 ** 32) >>> 0)) passed++;
    expect(passed / 20_000).toBeLessThan(0.25);
    expect(passed).toBeGreaterThan(0);
  });

  it("sizes filters from 2^13 to 2^30 bits and lists distinct sorted hashes", () => {
    expect(filterBits(0)).toBe(13);
    expect(filterBits(63e6)).toBe(28);
    expect(filterBits(1e12)).toBe(30);
    expect([...distinctSorted(Uint32Array.of(1, 1, 2, 5, 5, 5, 9))]).toEqual([1, 2, 5, 9]);
    expect([...distinctSorted(new Uint32Array(0))]).toEqual([]);
  });
});
