import { describe, expect, it } from "vitest";
import { chainSeeds, type Seed } from "../../src/match/resolve.js";

describe("chainSeeds: near-verbatim seeds of a repetitive document", () => {
  it("keeps the seeds with the most length on nearby diagonals, in their order", () => {
    const seeds: Seed[] = [
      { doc: 0, oStart: 0, oEnd: 20, dStart: 500 },
      { doc: 0, oStart: 10, oEnd: 30, dStart: 900 },
      { doc: 0, oStart: 100, oEnd: 140, dStart: 100 },
      { doc: 0, oStart: 150, oEnd: 190, dStart: 152 },
    ];
    expect(chainSeeds(seeds, 2, 10)).toEqual([seeds[2], seeds[3]]);
    expect(chainSeeds(seeds, 8, 10)).toBe(seeds);
  });
});
