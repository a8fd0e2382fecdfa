// The smallest edit between two versions of a text, in the shape TypeScript's incremental parser takes
// (ts.TextChangeRange); the Python reader's definition cache maps offsets through it too.

/** `span` of the old text became `newLength` characters. */
export interface TextChange {
  span: { start: number; length: number };
  newLength: number;
}

const COMPARE_BLOCK = 256;

/** The smallest change turning `before` into `after`: the common prefix and suffix are kept. */
export function changeBetween(before: string, after: string): TextChange {
  const shorter = Math.min(before.length, after.length);
  // Whole blocks first (V8 compares slices without copying them), then character by character.
  let prefix = 0;
  while (prefix + COMPARE_BLOCK <= shorter && before.slice(prefix, prefix + COMPARE_BLOCK) === after.slice(prefix, prefix + COMPARE_BLOCK))
    prefix += COMPARE_BLOCK;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const suffixLimit = shorter - prefix;
  while (
    suffix + COMPARE_BLOCK <= suffixLimit &&
    before.slice(before.length - suffix - COMPARE_BLOCK, before.length - suffix) ===
      after.slice(after.length - suffix - COMPARE_BLOCK, after.length - suffix)
  ) {
    suffix += COMPARE_BLOCK;
  }
  while (suffix < suffixLimit && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { span: { start: prefix, length: before.length - prefix - suffix }, newLength: after.length - prefix - suffix };
}
