// Validates SARIF logs against the official SARIF 2.1.0 JSON schema (shipped in an npm package) for the tests.
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/** The official schema file (draft-04), as published with the 2.1.0 standard. */
const SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let compiled: ((log: unknown) => string[]) | null = null;

/** Returns the schema violations of a log (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!compiled) {
    // The schema's language-tag pattern is not a valid unicode regexp, hence unicodeRegExp: false.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
    compiled = (value) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`));
  }
  return compiled(log);
}
