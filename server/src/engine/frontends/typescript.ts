// TS/JS front end (placeholder until implemented): TypeScript compiler API, syntax only.
import type { ParseResult } from '../ir';

/** Parses TS/JS source into models. */
export function parseTypeScript(_text: string, _fileName: string): ParseResult {
  return { language: 'typescript', models: [], notes: [], suppressions: new Map() };
}
