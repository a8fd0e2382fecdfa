// A layer call's config object: its entries (the call's own properties, spreads and consts followed) and the point
// where a property may be inserted, in the file's own formatting.
import ts from 'typescript';
import type { ConfigValue, InsertionPoint, Span } from '../../ir';
import { isUnknown } from '../../ir';
import { evaluate } from './evaluate';
import { excerpt, propertyKey, unwrap, type EvalContext } from './evalContext';
import type { FileIndex } from './bindings';
import { followConst } from './resolve';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { NodeFlags, SyntaxKind, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment } = ts;

/** Where spans are measured: the file's text, and its source file for the cases TypeScript decides (a FileIndex). */
export type SpanSource = Pick<FileIndex, 'text' | 'sourceFile'>;

/** Spans of one property written in the call's own object literal. */
export type PropertySpans = { keySpan: Span; valueSpan: Span; propertySpan: Span };

/** One config key's source: the expression written for it, or a value already folded (from a spread of a value). */
export interface ConfigEntry {
  expression?: ts.Expression;
  value?: ConfigValue;
  /** The property node when written in the call's own object literal (so it has editable spans). */
  property?: ts.ObjectLiteralElementLike;
}

/** The entries read from a call's config argument, and whether that is all of it. */
export interface CollectedConfig {
  entries: Map<string, ConfigEntry>;
  /** False when part of the config could not be read (unknown spread or variable): absent keys are then unknown too. */
  complete: boolean;
  reason?: string;
}

/**
 * Where a node's first token starts: `node.getStart(sourceFile)`, with the common case (only spaces, tabs and line
 * breaks before it) scanned here. getStart goes through three calls and TypeScript's full trivia scanner, and it runs
 * several times per layer property; a comment, a character that may open a merge conflict marker, a non-ASCII
 * character, a shebang or a missing or JSDoc node is left to getStart.
 */
export function startOf(node: ts.Node, file: SpanSource): number {
  const pos = node.pos;
  const kind = node.kind;
  if (
    pos <= 0 ||
    pos === node.end ||
    (node.flags & NodeFlags.JSDoc) !== 0 ||
    kind >= SyntaxKind.FirstJSDocNode ||
    kind === SyntaxKind.JsxText
  ) {
    return node.getStart(file.sourceFile);
  }
  const text = file.text;
  let offset = pos;
  let code = text.charCodeAt(offset);
  while (code === 32 || code === 10 || code === 13 || code === 9 || code === 11 || code === 12) code = text.charCodeAt(++offset);
  // '/' (a comment), '<' '=' '>' '|' (conflict markers) and anything past ASCII (other whitespace): TypeScript decides.
  if (code === 47 || code === 60 || code === 61 || code === 62 || code === 124 || code > 126) return node.getStart(file.sourceFile);
  return offset;
}

/** A node's span from its first token (leading trivia skipped). */
export function spanOf(node: ts.Node, file: SpanSource): Span {
  return { start: startOf(node, file), end: node.end };
}

function collectValue(value: ConfigValue, into: CollectedConfig, what: string): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value)) {
    for (const [key, item] of Object.entries(value)) into.entries.set(key, { value: item });
  } else {
    into.complete = false;
    into.reason = isUnknown(value) ? `${what}: ${value.reason}` : `${what} is not an object`;
  }
}

/** Collects a config expression's entries into `into`; `own` when it is the call's own object literal (spans kept). */
export function collectEntries(expr: ts.Expression, ctx: EvalContext, into: CollectedConfig, own: boolean, depth: number): void {
  const target = own ? unwrap(expr) : followConst(expr, ctx);
  if (depth > 10) {
    into.complete = false;
    into.reason = 'config nested too deeply';
    return;
  }
  if (!isObjectLiteralExpression(target)) {
    collectValue(evaluate(target, ctx), into, `config '${excerpt(expr, ctx.index)}'`);
    return;
  }
  for (const property of target.properties) {
    if (isPropertyAssignment(property)) {
      const key = propertyKey(property.name);
      if (key === null) {
        into.complete = false;
        into.reason = 'computed config key';
        continue;
      }
      into.entries.set(key, { expression: property.initializer, property: own ? property : undefined });
    } else if (isShorthandPropertyAssignment(property)) {
      into.entries.set(property.name.text, { expression: property.name, property: own ? property : undefined });
    } else if (isSpreadAssignment(property)) {
      const spread = followConst(property.expression, ctx);
      if (isObjectLiteralExpression(spread)) collectEntries(spread, ctx, into, false, depth + 1);
      else collectValue(evaluate(property.expression, ctx), into, `spread '${excerpt(property.expression, ctx.index)}'`);
    }
  }
}

/** Insertion point after the last property of an object literal, matching the file's formatting. */
export function insertionInto(literal: ts.ObjectLiteralExpression, literalStart: number, file: SpanSource): InsertionPoint | undefined {
  const text = file.text;
  // A half-typed config (not closed, or cut inside a string): an inserted property would land in the broken part.
  if (text.charCodeAt(literal.end - 1) !== 125 /* } */) return undefined;
  const properties = literal.properties;
  if (properties.length === 0) {
    const open = literalStart + 1;
    return { offset: open, before: '', after: '' };
  }
  const last = properties[properties.length - 1];
  const lastStart = startOf(last, file);
  // Scanning back to the line start is cheaper than computing the file's line map on every keystroke.
  let lineStart = lastStart;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  if (lineStart <= literalStart) return { offset: last.end, before: ', ', after: '' };
  let indentEnd = lineStart;
  while (indentEnd < lastStart && (text[indentEnd] === ' ' || text[indentEnd] === '\t')) indentEnd++;
  const newline = lineStart >= 2 && text.charCodeAt(lineStart - 2) === 13 ? '\r\n' : '\n';
  return { offset: last.end, before: `,${newline}${text.slice(lineStart, indentEnd)}`, after: '' };
}
