// Small helpers over the @lezer/python syntax tree: node text, children, call arguments, string and number literals.
import { TreeBuffer, TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Span } from '../../ir';
import { changeBetween, type TextChange } from '../../changeRange';

/** The parsed module and its text. */
export interface PySource {
  text: string;
  tree: Tree;
  /** How labels name the place of an offset ("on line 12"); a notebook names the cell ("in cell 3, line 2"). */
  placeOf?: (offset: number) => string;
}

/** CPython refuses brackets nested deeper than this ("too many nested parentheses"); lezer's tree builder recurses on them. */
export const MAX_BRACKET_NESTING = 200;

/** The end of a string literal starting at `start` (a quote), escapes and triple quotes followed; a line break ends a short one. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  const triple = text.startsWith(quote.repeat(3), start);
  let i = start + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (triple ? text.startsWith(quote.repeat(3), i) : c === quote) return i + (triple ? 3 : 1);
    if (!triple && (c === '\n' || c === '\r')) return i;
    i++;
  }
  return text.length;
}

/**
 * The statements whose brackets nest deeper than MAX_BRACKET_NESTING: from the start of the line that opened the
 * outermost bracket to the end of the line where it closes (or the end of the text when it never does).
 */
export function overNestedRegions(text: string): Span[] {
  const regions: Span[] = [];
  let depth = 0;
  let lineStart = 0;
  let opened = 0;
  let over = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = i + 1;
    } else if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      // A triple-quoted string may span lines: the line it ends on is where the code goes on.
      for (let j = i + 1; j < end; j++) if (text[j] === '\n' || text[j] === '\r') lineStart = j + 1;
      i = end - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) opened = lineStart;
      if (++depth > MAX_BRACKET_NESTING) over = true;
    } else if ((c === ')' || c === ']' || c === '}') && depth > 0 && --depth === 0 && over) {
      const lineEnd = /[\r\n]|$/.exec(text.slice(i))!.index + i;
      regions.push({ start: opened, end: lineEnd });
      over = false;
      i = lineEnd - 1;
    }
  }
  if (over) regions.push({ start: opened, end: text.length });
  return regions;
}

/** The text the parser reads: a BOM as a line break, over-nested statements as blanks (offsets and lines kept). */
function parserInput(text: string, regions: Span[]): string {
  let input = text.charCodeAt(0) === 0xfeff ? `\n${text.slice(1)}` : text;
  for (const region of regions) {
    input = input.slice(0, region.start) + input.slice(region.start, region.end).replace(/[^\r\n]/g, ' ') + input.slice(region.end);
  }
  return input;
}

/** A parse of Python text: the tree, notes on what was left out, and the text the parser read (kept for an incremental re-parse). */
export interface PythonSyntax {
  tree: Tree;
  notes: { message: string; span: Span }[];
  /** The parser's input (see parserInput); an incremental re-parse diffs the next input against it. */
  input: string;
  /** Whether the tree holds an error node: then its fragments are not reused (see readPythonSyntax). */
  hasErrors: boolean;
}

/**
 * Subtrees and buffers already known to hold no error node: those of error-free trees. lezer's incremental parse
 * puts the very objects of the earlier tree into the new one where the change did not reach, so the error check of
 * a re-parse looks only at what lezer built anew. Weak: they go with their trees.
 */
const errorFree = new WeakSet<Tree | TreeBuffer>();

/** True when a tree holds an error node anywhere; when it holds none, its parts are remembered as error-free. */
function containsError(tree: Tree): boolean {
  const visited: (Tree | TreeBuffer)[] = [];
  const stack: (Tree | TreeBuffer)[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (errorFree.has(node)) continue;
    if (node instanceof TreeBuffer) {
      // A buffer stores four numbers per node, the node type's id first.
      const { buffer, set } = node;
      for (let i = 0; i < buffer.length; i += 4) if (set.types[buffer[i]!]!.isError) return true;
    } else {
      if (node.type.isError) return true;
      for (const child of node.children) stack.push(child);
    }
    visited.push(node);
  }
  for (const node of visited) errorFree.add(node);
  return false;
}

/**
 * True when a change may alter which statements nest too deep: its old or new text holds a bracket, a quote, a
 * backslash, a comment sign or a line break (every character overNestedRegions reads). Any other change, a digit or a
 * name typed, leaves them as they were.
 */
function touchesNesting(before: string, after: string, change: TextChange): boolean {
  const { start, length } = change.span;
  return NESTING_SYNTAX.test(before.slice(start, start + length)) || NESTING_SYNTAX.test(after.slice(start, start + change.newLength));
}

const NESTING_SYNTAX = /[()[\]{}'"\\#\r\n]/;

/** A change in lezer's ChangedRange form. */
function changedRange({ span, newLength }: TextChange): { fromA: number; toA: number; fromB: number; toB: number } {
  return { fromA: span.start, toA: span.start + span.length, fromB: span.start, toB: span.start + newLength };
}

/**
 * Parses Python text; never throws. lezer recovers from errors and marks them with error nodes; a byte order mark,
 * which Python accepts, is read as a line break; statements nested deeper than Python allows are left out and named
 * in the notes, so the rest of the file is still read. Given the parse of an earlier version, lezer reuses the parts
 * of its tree the change did not touch (the tree is the same as a fresh parse's).
 */
export function readPythonSyntax(text: string, previous?: PythonSyntax): PythonSyntax {
  // An edit that cannot change the nesting leaves an input without over-nested statements without them: no scan.
  const change = previous === undefined ? undefined : changeBetween(previous.input, text);
  const regions =
    change !== undefined && previous!.notes.length === 0 && !touchesNesting(previous!.input, text, change) ? [] : overNestedRegions(text);
  const notes = regions.map((span) => ({
    message: `Syntax error: brackets nested deeper than ${MAX_BRACKET_NESTING} levels (Python's own limit); this statement is not read`,
    span,
  }));
  const input = parserInput(text, regions);
  try {
    if (previous !== undefined && previous.input === input) return { tree: previous.tree, notes, input, hasErrors: previous.hasErrors };
    // lezer's error recovery may read a broken region differently when it reuses fragments, so only an error-free
    // tree lends its fragments, and a re-parse that ends with errors is redone from scratch: the tree is always the
    // one a fresh parse gives.
    if (previous !== undefined && !previous.hasErrors) {
      const inputChange = input === text && change !== undefined ? change : changeBetween(previous.input, input);
      const tree = parser.parse(input, TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [changedRange(inputChange)]));
      if (!containsError(tree)) return { tree, notes, input, hasErrors: false };
    }
    const tree = parser.parse(input);
    return { tree, notes, input, hasErrors: containsError(tree) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      tree: parser.parse(''),
      notes: [...notes, { message: `model-lint could not parse this file (${reason}); nothing in it is read`, span: { start: 0, end: 0 } }],
      input: '',
      hasErrors: true,
    };
  }
}

/** The syntax tree of Python text (see readPythonSyntax). */
export function parsePythonTree(text: string): Tree {
  return readPythonSyntax(text).tree;
}

export function spanOf(node: SyntaxNode): Span {
  return { start: node.from, end: node.to };
}

export function textOf(source: PySource, node: SyntaxNode): string {
  return source.text.slice(node.from, node.to);
}

/** The direct children of a node (punctuation included). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) children.push(child);
  return children;
}

/** Node names lezer gives punctuation and keywords that carry no value of their own. */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', 'for', 'in', 'if', 'else', 'async', 'await', 'lambda']);

/** The children of a node that are expressions (punctuation, keywords and error markers dropped). */
export function expressionChildren(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((child) => !PUNCTUATION.has(child.name) && child.name !== '⚠' && !child.type.isError);
}

/** One argument of a call: positional, keyword (`name=value`), `*list` or `**dict`. */
export interface CallArgument {
  kind: 'positional' | 'keyword' | 'star' | 'doubleStar';
  name?: string;
  value: SyntaxNode;
  /** keyword: the name node. */
  nameNode?: SyntaxNode;
}

/**
 * The arguments of an ArgList node. Lezer keeps a keyword argument flat (`VariableName AssignOp value`) and
 * `*` / `**` as separate tokens before their value, so the list is read as a token stream.
 */
export function callArguments(argList: SyntaxNode | null, source: PySource): CallArgument[] {
  if (argList === null) return [];
  const tokens = childrenOf(argList).filter((child) => child.name !== '(' && child.name !== ')' && child.name !== '⚠');
  const args: CallArgument[] = [];
  let pending: 'star' | 'doubleStar' | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.name === ',') continue;
    if (token.name === '*') {
      pending = 'star';
      continue;
    }
    if (token.name === '**') {
      pending = 'doubleStar';
      continue;
    }
    const next = tokens[i + 1];
    if (token.name === 'VariableName' && next?.name === 'AssignOp' && tokens[i + 2] !== undefined && tokens[i + 2].name !== ',') {
      args.push({ kind: 'keyword', name: textOf(source, token), value: tokens[i + 2], nameNode: token });
      i += 2;
      continue;
    }
    if (pending !== null) {
      args.push({ kind: pending, value: token });
      pending = null;
      continue;
    }
    args.push({ kind: 'positional', value: token });
  }
  return args;
}

/** A parameter of a `def` or `lambda`. */
export interface Parameter {
  name: string;
  defaultValue?: SyntaxNode;
  kind: 'normal' | 'star' | 'doubleStar';
}

/** The parameters of a ParamList node (annotations skipped). */
export function parametersOf(paramList: SyntaxNode | null, source: PySource): Parameter[] {
  if (paramList === null) return [];
  const tokens = childrenOf(paramList).filter((child) => child.name !== '(' && child.name !== ')' && child.name !== '⚠');
  const params: Parameter[] = [];
  let pending: Parameter['kind'] = 'normal';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.name === '*') {
      pending = 'star';
      continue;
    }
    if (token.name === '**') {
      pending = 'doubleStar';
      continue;
    }
    if (token.name !== 'VariableName') continue;
    const param: Parameter = { name: textOf(source, token), kind: pending };
    pending = 'normal';
    let j = i + 1;
    if (tokens[j]?.name === 'TypeDef') j++;
    if (tokens[j]?.name === 'AssignOp' && tokens[j + 1] !== undefined) {
      param.defaultValue = tokens[j + 1];
      j += 2;
    }
    params.push(param);
    i = j - 1;
  }
  return params;
}

/** The value of a Python string literal node (prefixes and escapes handled); null for f-strings and bytes. */
export function stringValue(source: PySource, node: SyntaxNode): string | null {
  if (node.name === 'ContinuedString') {
    const parts = expressionChildren(node).map((part) => stringValue(source, part));
    return parts.every((part): part is string => part !== null) ? parts.join('') : null;
  }
  if (node.name !== 'String') return null;
  const raw = textOf(source, node);
  const prefix = /^[A-Za-z]*/.exec(raw)![0].toLowerCase();
  if (prefix.includes('f') || prefix.includes('b')) return null;
  const body = raw.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body.slice(0, 1);
  if (body.length < quote.length * 2 || !body.endsWith(quote)) return null;
  const inner = body.slice(quote.length, body.length - quote.length);
  if (prefix.includes('r')) return inner;
  return inner.replace(/\\(\r?\n|[\\'"abfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, escape: string) => {
    const simple: Record<string, string> = {
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    if (escape in simple) return simple[escape];
    if (escape.startsWith('x') || escape.startsWith('u')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return '';
  });
}

/** The quote character a Python string literal uses (for fixes written in the file's style). */
export function quoteOf(source: PySource, node: SyntaxNode): "'" | '"' {
  const raw = textOf(source, node).replace(/^[A-Za-z]*/, '');
  return raw.startsWith('"') ? '"' : "'";
}

/** The value of a Python number literal; null for complex numbers and what JS cannot read. */
export function numberValue(raw: string): number | null {
  const text = raw.replace(/_/g, '').toLowerCase();
  if (text.endsWith('j')) return null;
  if (/^0[box]/.test(text)) {
    const radix = text[1] === 'b' ? 2 : text[1] === 'o' ? 8 : 16;
    const value = parseInt(text.slice(2), radix);
    return Number.isFinite(value) ? value : null;
  }
  const trimmed = text.endsWith('l') ? text.slice(0, -1) : text; // Python 2 long
  const value = Number(trimmed);
  return Number.isNaN(value) ? null : value;
}

/** True when the subtree holds a syntax error marker. */
export function hasError(node: SyntaxNode): boolean {
  const cursor = node.cursor();
  const end = node.to;
  do {
    if (cursor.type.isError) return true;
  } while (cursor.next() && cursor.from <= end && !(cursor.from === end && cursor.to > end));
  return false;
}

/** The first child of a node with the given name. */
export function childNamed(node: SyntaxNode, name: string): SyntaxNode | null {
  // A sibling walk: lezer's getChild builds a cursor and an array per call, a measurable share of a file's read.
  for (let child = node.firstChild; child !== null; child = child.nextSibling) if (child.name === name) return child;
  return null;
}

/** Every direct child of a node with the given name. */
export function childrenNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) if (child.name === name) found.push(child);
  return found;
}

/** The body statements of a Body node (a `StatementGroup` of `a; b` is spread). */
export function statementsOf(body: SyntaxNode | null): SyntaxNode[] {
  if (body === null) return [];
  const statements: SyntaxNode[] = [];
  for (const child of childrenOf(body)) {
    if (child.name === ':' || child.name === '⚠') continue;
    if (child.name === 'StatementGroup') statements.push(...childrenOf(child).filter((c) => c.name !== ';'));
    else statements.push(child);
  }
  return statements;
}

/** Leading whitespace of the line holding `offset` (found by walking back to the line break, not searching the text). */
export function indentAt(text: string, offset: number): string {
  let lineStart = Math.min(offset, text.length);
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  let end = lineStart;
  while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
  return text.slice(lineStart, end);
}

/** The line break the file uses (CRLF when its first line break is one). */
export function lineBreakOf(text: string): string {
  const index = text.indexOf('\n');
  return index > 0 && text[index - 1] === '\r' ? '\r\n' : '\n';
}

/** True for a name read only to show it: a notebook's bare `model` line or an argument of `print(...)`. */
export function isDisplayRead(node: SyntaxNode, text: string): boolean {
  const parent = node.parent;
  if (parent?.name === 'ExpressionStatement') return true;
  const call = parent?.name === 'ArgList' ? parent.parent : null;
  const callee = call?.name === 'CallExpression' ? call.firstChild : null;
  return callee?.name === 'VariableName' && text.slice(callee.from, callee.to) === 'print';
}
