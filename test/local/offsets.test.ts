import { describe, expect, it } from "vitest";
import { tokenOffsets } from "../../src/local/offsets.js";

const b = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const raw = (...xs: number[]) => Uint8Array.from(xs);

describe("tokenOffsets", () => {
  it.each([
    { name: "plain ascii", pieces: [b("Hi"), b(" there")], text: "Hi there", want: [0, 2] },
    {
      name: "SentencePiece prefix space is shifted away",
      pieces: [b(" Hi"), b(" there")],
      text: "Hi there",
      want: [0, 2],
    },
    { name: "zero-width BOS first", pieces: [raw(), b(" a"), b("b")], text: "ab", want: [0, 0, 1] },
    // é = C3 A9 split across two byte tokens: both point at the character
    {
      name: "split 2-byte char",
      pieces: [b("h"), raw(0xc3), raw(0xa9), b("llo")],
      text: "héllo",
      want: [0, 1, 1, 2],
    },
    // 😀 = F0 9F 98 80 is two UTF-16 units
    { name: "astral char", pieces: [raw(0xf0, 0x9f), raw(0x98, 0x80), b("!")], text: "😀!", want: [0, 0, 2] },
    { name: "empty", pieces: [], text: "", want: [] },
    { name: "text not spelled by tokens: clamped", pieces: [b("abc"), b("def")], text: "ab", want: [0, 2] },
  ])("$name", ({ pieces, text, want }) => {
    expect(tokenOffsets(pieces, text)).toEqual(want);
  });
});
