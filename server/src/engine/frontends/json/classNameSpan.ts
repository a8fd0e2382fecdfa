// The span naming a Keras / TF.js layer or model object in model JSON: its "class_name" value, found by a token scan
// that stops at the key (Keras writes it first), with the parser's tree lookup for text that is not strict JSON.
import { createScanner, findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Span } from '../../ir';

/** The `"class_name"` value of the JSON object at `span` (the whole span when it has none or holds no string). */
export function classNameSpan(text: string, span: Span): Span {
  const scanned = classNameSpanByScan(text, span);
  if (scanned !== undefined) return scanned;
  // Malformed JSON before the key: the parser's error recovery decides what the object holds.
  const tree = parseTree(text.slice(span.start, span.end));
  const className = tree ? findNodeAtLocation(tree, ['class_name']) : undefined;
  if (className && className.type === 'string')
    return { start: span.start + className.offset, end: span.start + className.offset + className.length };
  return span;
}

// jsonc-parser's SyntaxKind values (a const enum, which the bundler cannot inline from a dependency).
const OPEN_BRACE = 1,
  CLOSE_BRACE = 2,
  OPEN_BRACKET = 3,
  CLOSE_BRACKET = 4,
  COMMA = 5,
  COLON = 6;
const NULL_KEYWORD = 7,
  TRUE_KEYWORD = 8,
  FALSE_KEYWORD = 9,
  STRING_LITERAL = 10,
  NUMERIC_LITERAL = 11;
const LINE_COMMENT = 12,
  BLOCK_COMMENT = 13;

/**
 * The span classNameSpan's tree lookup would give, found by scanning tokens only up to the first top-level
 * `"class_name"` (Keras writes it first, so a 1 MB model costs a few tokens, not a parse). It answers only
 * while the tokens so far are strictly valid JSON, where parser recovery cannot differ; undefined otherwise.
 */
function classNameSpanByScan(text: string, span: Span): Span | undefined {
  const scanner = createScanner(text, true);
  scanner.setPosition(span.start);
  const next = (): number => {
    for (;;) {
      const token = scanner.scan();
      if (token === LINE_COMMENT || token === BLOCK_COMMENT) continue;
      if (scanner.getTokenError() !== 0 || scanner.getTokenOffset() + scanner.getTokenLength() > span.end) return -1;
      return token;
    }
  };
  const isScalar = (token: number): boolean =>
    token === STRING_LITERAL || token === NUMERIC_LITERAL || token === NULL_KEYWORD || token === TRUE_KEYWORD || token === FALSE_KEYWORD;
  if (next() !== OPEN_BRACE) return undefined;
  // Open containers below the root object: true for an object, false for an array.
  const open: boolean[] = [];
  // What may come next in the innermost container: a key (or its close), a value (or the close), or a comma/close.
  let expect: 'keyOrClose' | 'key' | 'valueOrClose' | 'value' | 'commaOrClose' = 'keyOrClose';
  for (;;) {
    const token = next();
    if (token < 0) return undefined;
    const inObject = open.length === 0 || open[open.length - 1];
    if (expect === 'keyOrClose' || expect === 'key') {
      if (token === CLOSE_BRACE && expect === 'keyOrClose') {
        if (open.length === 0) return span; // the root object ended without a class_name
        open.pop();
        expect = 'commaOrClose';
        continue;
      }
      if (token !== STRING_LITERAL) return undefined;
      const isClassName = open.length === 0 && scanner.getTokenValue() === 'class_name';
      if (next() !== COLON) return undefined;
      if (isClassName) {
        const value = next();
        if (value === STRING_LITERAL) return { start: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() };
        // Any other value is what the tree lookup finds too, and it is not a string: the whole span.
        return isScalar(value) || value === OPEN_BRACE || value === OPEN_BRACKET ? span : undefined;
      }
      expect = 'value';
      continue;
    }
    if (expect === 'commaOrClose') {
      if (token === COMMA) expect = inObject ? 'key' : 'value';
      else if (token === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        if (open.length === 0) return span;
        open.pop();
      } else return undefined;
      continue;
    }
    // expect is 'value' or 'valueOrClose'
    if (token === CLOSE_BRACKET && expect === 'valueOrClose') {
      open.pop();
      expect = 'commaOrClose';
    } else if (isScalar(token)) expect = 'commaOrClose';
    else if (token === OPEN_BRACE) {
      open.push(true);
      expect = 'keyOrClose';
    } else if (token === OPEN_BRACKET) {
      open.push(false);
      expect = 'valueOrClose';
    } else return undefined;
  }
}
