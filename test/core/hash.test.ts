import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../src/core/hash.js";

describe("sha256", () => {
  it("is the hex SHA-256 of the text's UTF-8 bytes (known vectors, non-ASCII, lone surrogates)", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (const s of ["Ünïcödé ✓", "😀 emoji", "\ud800 lone", "x".repeat(5000)]) {
      expect(sha256(s), JSON.stringify(s.slice(0, 20))).toBe(
        createHash("sha256").update(s, "utf8").digest("hex"),
      );
    }
  });
});
