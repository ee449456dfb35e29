import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import { ROOT } from "./lab.js";

const require = createRequire(import.meta.url);
// CommonJS packages whose module.exports is the default export.
const Ajv: typeof import("ajv-draft-04").default = require("ajv-draft-04");
const addFormats: typeof import("ajv-formats").default = require("ajv-formats");

/**
 * The SARIF 2.1.0 JSON schema (draft-04), as shipped by Microsoft's SARIF SDK in @microsoft/jest-sarif
 * (`sarif-2.1.0-rtm.5.json`, the OASIS 2.1.0 schema published on schemastore).
 */
export const SARIF_SCHEMA_PATH = join(
  dirname(require.resolve("@microsoft/jest-sarif/package.json")),
  "lib/schemas/sarif-2.1.0-rtm.5.json",
);

/** The Jenkins JUnit schema (junit-4.xsd from Jenkins' dtkit, MIT licence kept in the file). */
export const JUNIT_XSD_PATH = join(ROOT, "test/fixtures/schemas/jenkins-junit.xsd");

let sarifValidator: ((data: unknown) => boolean) & { errors?: unknown } = Object.assign(() => false, {});
let compiled = false;

/** Validate a SARIF log; returns the schema errors (empty when valid). */
export function sarifErrors(log: unknown): string[] {
  if (!compiled) {
    // unicodeRegExp off: the schema's language pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` is not valid with the u flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, "utf8")));
    compiled = true;
  }
  if (sarifValidator(log)) return [];
  return ((sarifValidator.errors as { instancePath: string; message: string }[]) ?? []).map(
    (e) => `${e.instancePath} ${e.message}`,
  );
}

/** Parse XML (throws when not well formed) and validate it against the JUnit XSD; returns the errors. */
export function junitErrors(xml: string): string[] {
  const xsd = XmlDocument.fromString(readFileSync(JUNIT_XSD_PATH, "utf8"));
  const validator = XsdValidator.fromDoc(xsd);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  } finally {
    doc.dispose();
    validator.dispose();
    xsd.dispose();
  }
}

/** True when the text parses as a well-formed XML document. */
export function wellFormedXml(xml: string): boolean {
  try {
    XmlDocument.fromString(xml).dispose();
    return true;
  } catch {
    return false;
  }
}
