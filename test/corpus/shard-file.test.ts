import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import {
  decodeShard,
  loadShard,
  packUnits,
  ShardArena,
  unpackUnits,
  wideUnits,
  writeShard,
} from "../../src/corpus/shard-file.js";
import { buildShard } from "../../src/match/shard-build.js";

const dir = mkdtempSync(join(tmpdir(), "memscan-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Documents' units: ASCII with wide units at the given share (0 = none, 1 = all). */
function units(rng: Rng, lengths: readonly number[], shares: readonly number[]) {
  const docStart = Uint32Array.from([
    0,
    ...lengths.map((_, i) => lengths.slice(0, i + 1).reduce((a, b) => a + b)),
  ]);
  const u = new Uint16Array(docStart[lengths.length]!);
  lengths.forEach((n, d) => {
    for (let i = 0; i < n; i++) {
      const wide = rng.next() < shares[d]!;
      u[docStart[d]! + i] = wide ? 256 + rng.int(0xfe00) : 32 + rng.int(224);
    }
  });
  return { u, docStart };
}

describe("packUnits / unpackUnits", () => {
  it("round-trips one-byte documents with rare wide units, two-byte ones with frequent, and empty ones", () => {
    const rng = new Rng(2, "pack");
    const lengths = [0, 500, 37, 0, 1000, 3, 1, 999, 0];
    const shares = [0, 0.01, 0, 0, 0.5, 1, 0, 0.1, 0];
    const { u, docStart } = units(rng, lengths, shares);
    const p = packUnits(u, docStart);
    expect([...p.width]).toEqual([1, 1, 1, 1, 2, 2, 1, 1, 1]);
    expect(p.wideAt.length).toBeGreaterThan(0);
    for (const at of p.wideAt) expect(u[at]).toBeGreaterThan(255);
    expect([...p.wideAt]).toEqual([...p.wideAt].sort((a, b) => a - b));
    for (let d = 0; d < lengths.length; d++) if (p.width[d] === 2) expect(p.docByte[d]! % 2).toBe(0);
    expect([...unpackUnits(p, docStart, u.length)]).toEqual([...u]);
    expect([...unpackUnits(p, docStart, u.length, 7)]).toEqual([...u]); // widened in pieces of 7 bytes
    // A rare wide unit costs 6 bytes, not a doubled document.
    expect(p.bytes.length).toBeLessThan(u.length + 1000 + 3 + 2);
  });

  it("gives the same bytes through a reused, dirty scratch buffer", () => {
    const rng = new Rng(3, "pack-scratch");
    const { u, docStart } = units(rng, [7, 10, 5], [0, 1, 0.05]);
    const fresh = packUnits(u, docStart);
    const scratch = { bytes: new Uint8Array(64).fill(0xaa) };
    const reused = packUnits(u, docStart, wideUnits(u), scratch);
    expect([...reused.bytes]).toEqual([...fresh.bytes]);
    expect(reused.bytes.buffer).toBe(scratch.bytes.buffer);
  });
});

describe("shard files", () => {
  it("decode to the built units, hashes, contexts and breakpoints (wide units rare, frequent, empty documents)", async () => {
    const docs = [
      { id: "ascii", text: "Plain ascii text that goes on for a while. ".repeat(20), base: 0 },
      {
        id: "rare",
        text: `Mostly ascii — with a ‘quote’ or “two”. ${"more words here ".repeat(30)}`,
        base: 0,
      },
      { id: "empty", text: "", base: 0 },
      { id: "cjk", text: "中文的句子，很多宽字符。".repeat(20), base: 0 },
      { id: "part", text: Buffer.from("tail part é ".repeat(10)), base: 1234 },
    ];
    const built = buildShard(docs, { k: 8, w: 5 });
    expect([...built.wide]).toEqual([...wideUnits(built.units)]);
    expect(built.wide.length).toBeGreaterThan(0);
    const bin = join(dir, "s.bin");
    const ids = join(dir, "s.ids.json");
    const bytes = await writeShard(bin, ids, built);
    expect(bytes).toBe(readFileSync(bin).length);
    const got = await loadShard(bin, ids);
    expect([...got.units]).toEqual([...built.units]);
    expect([...got.docStart]).toEqual([...built.docStart]);
    expect([...got.hashes]).toEqual([...built.hashes]);
    expect([...got.positions]).toEqual([...built.positions]);
    expect([...got.contexts]).toEqual([...built.contexts]);
    expect([...got.breaks]).toEqual([...built.breaks]);
    expect([...got.breakStart]).toEqual([...built.breakStart]);
    expect(got.ids).toEqual(docs.map((d) => d.id));
  });

  it("reads shard after shard into one arena, reusing its memory when it is large enough", async () => {
    const make = (name: string, text: string) => {
      const built = buildShard([{ id: name, text, base: 0 }], { k: 8, w: 3 });
      return { built, bin: join(dir, `${name}.bin`), ids: join(dir, `${name}.ids.json`) };
    };
    const big = make("big", "A longer shard, with a ‘wide’ unit or two. ".repeat(50));
    const small = make("small", "short shard text — just this ".repeat(3));
    const bigger = make("bigger", "The largest shard of the three, read last. ".repeat(80));
    for (const s of [big, small, bigger]) await writeShard(s.bin, s.ids, s.built);
    const arena = new ShardArena();
    const first = await loadShard(big.bin, big.ids, arena);
    expect([...first.units]).toEqual([...big.built.units]);
    for (const s of [small, bigger]) {
      const got = await loadShard(s.bin, s.ids, arena);
      expect([...got.units]).toEqual([...s.built.units]);
      expect([...got.hashes]).toEqual([...s.built.hashes]);
      expect([...got.positions]).toEqual([...s.built.positions]);
      expect([...got.contexts]).toEqual([...s.built.contexts]);
      expect([...got.breaks]).toEqual([...s.built.breaks]);
      if (s === small)
        expect(got.hashes.buffer).toBe(first.hashes.buffer); // the same memory, reused
      else expect(got.hashes.buffer).not.toBe(first.hashes.buffer); // grown for the larger shard
    }
  });

  it("asks for a rebuild on an older format, another file or a truncated one", async () => {
    const built = buildShard([{ id: "a", text: "some text ’ here", base: 0 }], { k: 4, w: 2 });
    const bin = join(dir, "t.bin");
    const ids = join(dir, "t.ids.json");
    await writeShard(bin, ids, built);
    const buf = readFileSync(bin);
    const old = Buffer.from(buf);
    old.write("MSCSHRD1", 0, "latin1");
    expect(() => decodeShard(old, ["a"], "x.bin")).toThrow(/MSCSHRD3.*found MSCSHRD1.*rebuild the index/);
    expect(() => decodeShard(Buffer.from("not a shard at all, no, not at all"), ["a"], "x.bin")).toThrow(
      /something else; rebuild the index/,
    );
    expect(() => decodeShard(buf.subarray(0, buf.length - 3), ["a"], "x.bin")).toThrow(/truncated; rebuild/);
    expect(() => decodeShard(buf.subarray(0, 40), ["a"], "x.bin")).toThrow(/truncated; rebuild/);
  });
});
