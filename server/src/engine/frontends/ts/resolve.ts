// Follows names and helper calls to the expressions they stand for: a const's initializer (with its destructuring
// path) and what a parameterless helper declared in the file returns.
import ts from 'typescript';
import type { UnknownValue } from '../../ir';
import { isUnknown } from '../../ir';
import { declarationAt } from './bindings';
import { unknown, unwrap, type EvalContext } from './evalContext';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { isArrowFunction, isBlock, isCallExpression, isFunctionDeclaration, isFunctionExpression, isIdentifier, isReturnStatement } = ts;

/** The expression a name stands for in the file, following `const` declarations (and destructuring paths). */
export interface ResolvedName {
  expression: ts.Expression;
  path: string[];
}

/** Resolves an identifier to its const declaration's initializer, or the reason it cannot be. */
export function resolveIdentifier(name: ts.Identifier, ctx: EvalContext): ResolvedName | UnknownValue {
  const decl = declarationAt(ctx.index, name.text, name.pos);
  if (!decl) return unknown(`'${name.text}' is not a known constant`);
  if (decl.parameter) return unknown(`'${name.text}' is a function parameter`);
  if (!decl.isConst) return unknown(`'${name.text}' is not a const`);
  if (!decl.initializer) return unknown(`'${name.text}' has no value`);
  return { expression: decl.initializer, path: decl.path };
}

/**
 * Follows identifiers bound to consts, and calls of parameterless helpers to the expression they return, until
 * another expression (for form-preserving reads): `kernelInitializer: big()` with `const big = () => tf.initializers...`.
 */
export function followConst(expr: ts.Expression, ctx: EvalContext): ts.Expression {
  let current = unwrap(expr);
  for (let hops = 0; hops < 10; hops++) {
    if (isIdentifier(current) && !ctx.env.has(current.text)) {
      const resolved = resolveIdentifier(current, ctx);
      if (isUnknown(resolved) || resolved.path.length > 0) return current;
      current = unwrap(resolved.expression);
    } else if (isCallExpression(current)) {
      const returned = helperReturn(current, ctx);
      if (returned === undefined) return current;
      current = unwrap(returned);
    } else return current;
  }
  return current;
}

/**
 * The expression a call of a helper declared in the file returns, when the helper takes no parameters (an arrow
 * function or function expression bound to a const, or a function declaration) and returns one expression: a concise
 * body, or a body whose only return is its last top-level statement. Undefined otherwise (parameters would need
 * binding; several returns depend on the path taken).
 */
export function helperReturn(call: ts.CallExpression, ctx: EvalContext): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  if (!isIdentifier(callee) || ctx.env.has(callee.text)) return undefined;
  let fn: ts.Node | undefined = ctx.index.functions.get(callee.text);
  if (fn === undefined) {
    const resolved = resolveIdentifier(callee, ctx);
    if (isUnknown(resolved) || resolved.path.length > 0) return undefined;
    fn = unwrap(resolved.expression);
  }
  if (!(isArrowFunction(fn) || isFunctionExpression(fn) || isFunctionDeclaration(fn)) || fn.parameters.length > 0 || fn.body === undefined)
    return undefined;
  if (!isBlock(fn.body)) return fn.body;
  const statements = fn.body.statements;
  const last = statements[statements.length - 1];
  if (last === undefined || !isReturnStatement(last) || statements.slice(0, -1).some(containsReturn)) return undefined;
  return last.expression;
}

/** True when a statement returns somewhere inside it (not counting nested functions, whose returns are their own). */
function containsReturn(node: ts.Node): boolean {
  if (isReturnStatement(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsReturn) ?? false;
}
