// JSON front end (placeholder until implemented): Keras / TF.js model JSON with offsets.
import type { ParseResult } from '../ir';

/** Parses model JSON into models. */
export function parseModelJson(_text: string): ParseResult {
  return { language: 'json', models: [], notes: [], suppressions: new Map() };
}
