// The nesting cap of model JSON: containers deeper than MAX_JSON_DEPTH are not read, and text nested so deep that the
// JSON parser's own recursion would overflow the stack is blanked past the cap before it is parsed again.

/** Containers (objects and arrays) nested deeper than this are skipped; real model files stay far below it. */
export const MAX_JSON_DEPTH = 500;

/** The note for the first container past the cap. */
export function jsonDepthNote(): string {
  return `The JSON nests deeper than ${MAX_JSON_DEPTH} levels; model-lint did not read what lies deeper.`;
}

/**
 * The text with the contents of every container at depth MAX_JSON_DEPTH + 1 replaced by spaces (line breaks kept), so
 * offsets and lines stay as they were and the containers themselves remain (the reader skips them as too deep).
 * Strings and comments are stepped over; an unclosed container is blanked to the end of the text.
 */
export function blankBeyondMaxDepth(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let depth = 0;
  let blankFrom = -1;
  const blank = (from: number, to: number): void => {
    parts.push(text.slice(copiedUpTo, from), text.slice(from, to).replace(/[^\r\n]/g, ' '));
    copiedUpTo = to;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (code === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (code === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (code === 123 /* { */ || code === 91 /* [ */) {
      depth++;
      if (depth === MAX_JSON_DEPTH + 1 && blankFrom < 0) blankFrom = i + 1;
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (depth === MAX_JSON_DEPTH + 1 && blankFrom >= 0) {
        blank(blankFrom, i);
        blankFrom = -1;
      }
      if (depth > 0) depth--;
    }
  }
  if (blankFrom >= 0) blank(blankFrom, text.length);
  if (parts.length === 0) return text;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}
