// What every reader of TS/JS expressions shares: the evaluation context (file index, loop bindings), unknown values,
// unwrapping, excerpts for messages, static property keys and the `Array.from` test.
import ts from 'typescript';
import type { ConfigValue, UnknownValue } from '../../ir';
import type { FileIndex } from './bindings';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { SyntaxKind, isIdentifier, isNumericLiteral, isPropertyAccessExpression, isStringLiteralLike } = ts;

/** Values bound by unrolled loops and callbacks (loop counters, `.map` parameters); they shadow declarations. */
export type Env = ReadonlyMap<string, ConfigValue>;

/** What evaluation needs: the file index and the loop bindings in force. */
export interface EvalContext {
  index: FileIndex;
  env: Env;
}

/** Makes an UnknownValue. */
export function unknown(reason: string): UnknownValue {
  return { kind: 'unknown', reason };
}

/** Strips syntax that does not change a value: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let current = expr;
  // Kinds compared here rather than five type-guard calls: this runs for nearly every expression read.
  for (;;) {
    switch (current.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** A short, one-line excerpt of an expression for messages. */
export function excerpt(node: ts.Node, index: FileIndex): string {
  const text = index.text.slice(node.getStart(index.sourceFile), node.end).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Key text of a property name when static. */
export function propertyKey(name: ts.PropertyName): string | null {
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name)) return name.text;
  return null;
}

/** An environment with no loop bindings. */
export const EMPTY_ENV: Env = new Map();

/** True for a call of `Array.from`. */
export function isArrayFrom(node: ts.CallExpression): boolean {
  const callee = unwrap(node.expression);
  return (
    isPropertyAccessExpression(callee) &&
    isIdentifier(callee.expression) &&
    callee.expression.text === 'Array' &&
    callee.name.text === 'from'
  );
}
