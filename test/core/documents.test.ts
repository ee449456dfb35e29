import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocuments } from "../../src/core/documents.js";
import { ConfigError } from "../../src/core/errors.js";
import { describeLab, labPath, ROOT } from "../helpers/lab.js";

const FX = join(ROOT, "test/fixtures/documents");
const fx = (...p: string[]) => join(FX, ...p);

describe("readDocuments", () => {
  it("reads JSONL: text, ids from id/doc_id or file:line, string and number fields", async () => {
    const docs = await readDocuments([fx("records.jsonl")]);
    expect(docs).toEqual([
      {
        id: "r1",
        text: "Customer: Ann <ann@example.org>",
        fields: { id: "r1", email: "ann@example.org", age: "41" },
        source: "records.jsonl",
      },
      { id: "7", text: "second record", fields: { doc_id: "7" }, source: "records.jsonl" },
      { id: "records.jsonl:4", text: "no id here", source: "records.jsonl" },
    ]);
  });

  it("honours textField and idField", async () => {
    const docs = await readDocuments([fx("records.jsonl")], { textField: "email", idField: "id" }).catch(
      (e: unknown) => e,
    );
    // line 3 has no `email` field: the error names the file, the line and what was found
    expect(docs).toBeInstanceOf(ConfigError);
    expect((docs as Error).message).toMatch(
      /"email" field at `.*records\.jsonl` line 3, found no such field/,
    );
    const byEmail = await readDocuments([fx("zipped.jsonl.gz")], { textField: "text", idField: "id" });
    expect(byEmail.map((d) => d.id)).toEqual(["z1", "z2"]);
  });

  it("reads plain text files and folders (sorted, one document per file), gzip included", async () => {
    const docs = await readDocuments([fx("notes"), fx("note.txt.gz")]);
    expect(docs).toEqual([
      { id: "a.txt", text: "First note.\nIt has two lines.\n", source: "notes" },
      { id: "b.md", text: "# Second\n", source: "notes" },
      { id: "note.txt", text: "plain gzipped text\n", source: "note.txt.gz" },
    ]);
  });

  it.each([
    ["missing.jsonl", /documents file or folder at `.*missing\.jsonl`.*check the path/],
    [
      "bad/not-json.jsonl",
      /JSON object at `.*not-json\.jsonl` line 2, found invalid JSON .*"\{\\"id\\": \\"broken/,
    ],
    [
      "bad/no-text.jsonl",
      /string "text" field at `.*no-text\.jsonl` line 2, found no such field \(keys: id, body\)/,
    ],
    ["bad/array.jsonl", /JSON object at `.*array\.jsonl` line 1, found an array/],
    ["bad/dup.jsonl", /`same` at `.*dup\.jsonl` line 1 and at `.*dup\.jsonl` line 2/],
    ["bad/fake.jsonl.gz", /gzip-compressed.*gunzip failed/],
  ])("%s -> ConfigError naming the problem", async (file, message) => {
    const err = await readDocuments([fx(file)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
  });

  it("rejects the same id across files", async () => {
    await expect(readDocuments([fx("records.jsonl"), fx("records.jsonl")])).rejects.toThrow(/`r1` at/);
  });
});

describeLab("readDocuments on the lab", () => {
  it("reads the 250 members with record ids and PII fields", async () => {
    const docs = await readDocuments([labPath("data/members.jsonl")]);
    expect(docs).toHaveLength(250);
    expect(new Set(docs.map((d) => d.id)).size).toBe(250);
    const first = docs[0]!;
    expect(first.id).toBe("support-0000");
    expect(first.fields?.email).toBe("ruiz.sandra24@post.example.org");
    expect(first.fields?.template).toBe("0");
    expect(first.text.startsWith("Ticket LP-650042")).toBe(true);
    expect(first.fields).not.toHaveProperty("text");
  });
});
