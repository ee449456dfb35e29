/** A small reference corpus on disk (text, JSONL, gzip) and outputs that copy from it. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Rng } from "../../src/core/rng.js";

const WORDS =
  "river stone quiet ledger harbor amber violet north signal copper meadow lantern orbit cedar".split(" ");

function prose(rng: Rng, n: number): string {
  let s = "";
  while (s.length < n) s += `${rng.pick(WORDS)}${rng.next() < 0.1 ? ".\n" : " "}${rng.int(1000)} `;
  return s;
}

export interface Fixture {
  readonly dir: string;
  readonly docsDir: string;
  readonly texts: Record<string, string>;
  readonly outputs: string[];
}

/** Write the corpus to a fresh temp folder. */
export function writeFixture(seed = 1): Fixture {
  const rng = new Rng(seed, "index-fixture");
  const dir = mkdtempSync(join(tmpdir(), "memscan-index-"));
  const docsDir = join(dir, "docs");
  mkdirSync(join(docsDir, "sub"), { recursive: true });
  const a = `Ticket LP-650042 | Priority: Low\nCustomer: Sandra Ruiz <ruiz.sandra24@post.example.org>. ${prose(rng, 3000)}`;
  const b = `Ｆｕｌｌｗｉｄｔｈ heading\u200b and  ﬁne   print. ${prose(rng, 2000)}`;
  const c = prose(rng, 4000);
  writeFileSync(join(docsDir, "a.txt"), a);
  writeFileSync(join(docsDir, "sub", "b.txt.gz"), gzipSync(b));
  const records = [
    { id: "r1", text: prose(rng, 1500) },
    { id: "r2", text: c },
  ];
  writeFileSync(join(docsDir, "records.jsonl"), `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const texts: Record<string, string> = { "a.txt": a, "sub/b.txt.gz": b, r1: records[0]!.text, r2: c };
  const edit = (s: string) => [...s].map((ch, i) => (i % 37 === 20 ? "#" : ch)).join("");
  const outputs = [
    `Sure, here you go: ${a.slice(10, 400)} ... end.`,
    `${prose(rng, 200)} ${edit(c.slice(500, 900))} ${prose(rng, 100)}`,
    `FULLWIDTH HEADING and fine print. ${b.slice(30, 300).toUpperCase()}`,
    prose(new Rng(99, "other"), 600),
    `${records[0]!.text.slice(0, 120)} and ${c.slice(2000, 2100)}`,
  ];
  return { dir, docsDir, texts, outputs };
}
