// Control flow of the TS/JS interpreter: if/else and switch (only what runs when the condition is known, both
// branches with a note when not), and loops (for, for-of, forEach/map, Array.from) unrolled when their bounds are known.
import ts from 'typescript';
import type { ConfigValue } from '../../ir';
import { isUnknown } from '../../ir';
import { evaluate } from './evaluate';
import { excerpt, propertyKey, unknown, unwrap } from './evalContext';
import { InterpreterScope, ITERATION_BUDGET, MAX_UNROLL } from './scopes';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const {
  SyntaxKind,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isBreakOrContinueStatement,
  isCaseClause,
  isIdentifier,
  isObjectBindingPattern,
  isPostfixUnaryExpression,
  isPrefixUnaryExpression,
  isReturnStatement,
  isThrowStatement,
  isVariableDeclarationList,
} = ts;

/** True for a statement after which a switch clause does not fall through (`break`, `return`, `throw`, or a block ending so). */
function endsClause(statement: ts.Statement): boolean {
  if (isBreakOrContinueStatement(statement) || isReturnStatement(statement) || isThrowStatement(statement)) return true;
  return isBlock(statement) && statement.statements.some(endsClause);
}

/** Loop bindings of one iteration: names in a binding pattern matched against a value. */
export function bindPattern(name: ts.BindingName, value: ConfigValue, into: Map<string, ConfigValue>): void {
  if (isIdentifier(name)) {
    into.set(name.text, value);
    return;
  }
  if (isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      const key = element.propertyName ? propertyKey(element.propertyName) : isIdentifier(element.name) ? element.name.text : null;
      const item =
        key !== null &&
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        !isUnknown(value) &&
        Object.hasOwn(value, key)
          ? value[key]
          : unknown(`no property '${key ?? '?'}'`);
      bindPattern(element.name, item, into);
    }
  } else {
    name.elements.forEach((element, position) => {
      if (!isBindingElement(element)) return;
      bindPattern(element.name, Array.isArray(value) && position < value.length ? value[position] : unknown('no element'), into);
    });
  }
}

/** Reads branches and loops: decides known conditions, unrolls loops with known bounds. */
export abstract class ControlFlowReader extends InterpreterScope {
  // ---- branches --------------------------------------------------------------------------------------------

  protected visitIf(statement: ts.IfStatement): void {
    this.visit(statement.expression);
    // An else-if is the else branch's own IfStatement, so a chain is decided link by link.
    this.readBranches(
      statement.expression,
      statement.thenStatement,
      statement.elseStatement,
      statement.elseStatement ? 'both branches were read in sequence' : 'its branch was read as if it ran',
      InterpreterScope.visitChild,
    );
  }

  /** A switch on a known value runs from the matching case (or default) through fall-through; otherwise every case is read. */
  protected visitSwitch(statement: ts.SwitchStatement): void {
    this.visit(statement.expression);
    const clauses = statement.caseBlock.clauses;
    const start = this.switchEntry(statement.expression, clauses);
    if (start === undefined) {
      this.underCondition(statement.expression, 'all its cases were read in sequence', () => this.visit(statement.caseBlock));
      return;
    }
    for (let position = start; position >= 0 && position < clauses.length; position++) {
      const statements = clauses[position].statements;
      for (const inner of statements) this.visit(inner);
      if (statements.some(endsClause)) return;
    }
  }

  /** The clause a switch enters: -1 when none matches and there is no default; undefined when not statically known. */
  protected switchEntry(discriminant: ts.Expression, clauses: ts.NodeArray<ts.CaseOrDefaultClause>): number | undefined {
    const value = evaluate(discriminant, this.ctx);
    if (isUnknown(value) || (typeof value === 'object' && value !== null)) return undefined;
    let fallback = -1;
    for (let position = 0; position < clauses.length; position++) {
      const clause = clauses[position];
      if (!isCaseClause(clause)) {
        fallback = position;
        continue;
      }
      const label = evaluate(clause.expression, this.ctx);
      if (isUnknown(label)) return undefined;
      if (label === value) return position;
    }
    return fallback;
  }

  // ---- loops -----------------------------------------------------------------------------------------------

  /** Runs `body` once per item of a constant array (or once, marked repeated, when the array is unknown). */
  protected iterate(
    arrayExpression: ts.Expression,
    itemName: ts.BindingName | undefined,
    indexName: ts.BindingName | undefined,
    body: () => void,
  ): void {
    let items = evaluate(arrayExpression, this.ctx);
    // An array-like `{length: n}` (the source of Array.from) iterates n undefined items.
    if (
      typeof items === 'object' &&
      items !== null &&
      !Array.isArray(items) &&
      !isUnknown(items) &&
      typeof items.length === 'number' &&
      Number.isInteger(items.length) &&
      items.length >= 0 &&
      items.length <= MAX_UNROLL
    )
      items = new Array<ConfigValue>(items.length).fill(null);
    const bindingsFor = (item: ConfigValue, position: number | null): Map<string, ConfigValue> => {
      const bindings = new Map<string, ConfigValue>();
      if (itemName) bindPattern(itemName, item, bindings);
      if (indexName && isIdentifier(indexName)) bindings.set(indexName.text, position ?? unknown('index of an unknown array'));
      return bindings;
    };
    if (!Array.isArray(items) || items.length > MAX_UNROLL || this.iterations + items.length > ITERATION_BUDGET) {
      const what = excerpt(arrayExpression, this.index);
      const count = Array.isArray(items) ? items.length : null;
      const note = count === null ? `array '${what}' unknown: layers treated as repeated` : `array '${what}' of ${count} items read once`;
      this.withRepeat({ index: 0, count, note }, bindingsFor(unknown(`item of '${what}'`), null), body);
      return;
    }
    this.iterations += items.length;
    items.forEach((item, position) => this.withRepeat({ index: position, count: items.length }, bindingsFor(item, position), body));
  }

  protected visitForOf(loop: ts.ForOfStatement): void {
    const declarations = isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations : undefined;
    const itemName = declarations && declarations.length === 1 ? declarations[0].name : undefined;
    this.iterate(loop.expression, itemName, undefined, () => this.visit(loop.statement));
  }

  /** Iteration values of `for (let i = A; i < B; i += k)` when all are constant, else why not. */
  protected forValues(loop: ts.ForStatement): { name: string; values: number[] } | { name: string | null; bound: string } {
    let name: string | null = null;
    let start: ConfigValue = unknown('no start');
    const init = loop.initializer;
    if (init && isVariableDeclarationList(init) && init.declarations.length === 1) {
      const decl = init.declarations[0];
      if (isIdentifier(decl.name) && decl.initializer) {
        name = decl.name.text;
        start = evaluate(decl.initializer, this.ctx);
      }
    } else if (init && isBinaryExpression(init) && init.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(init.left)) {
      name = init.left.text;
      start = evaluate(init.right, this.ctx);
    }
    const condition = loop.condition && unwrap(loop.condition);
    if (name === null || !condition || !isBinaryExpression(condition))
      return { name, bound: condition ? excerpt(condition, this.index) : 'none' };
    let operator: ts.SyntaxKind = condition.operatorToken.kind;
    let limitExpression: ts.Expression;
    if (isIdentifier(condition.left) && condition.left.text === name) limitExpression = condition.right;
    else if (isIdentifier(condition.right) && condition.right.text === name) {
      limitExpression = condition.left;
      const flipped: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
        [SyntaxKind.LessThanToken]: SyntaxKind.GreaterThanToken,
        [SyntaxKind.GreaterThanToken]: SyntaxKind.LessThanToken,
        [SyntaxKind.LessThanEqualsToken]: SyntaxKind.GreaterThanEqualsToken,
        [SyntaxKind.GreaterThanEqualsToken]: SyntaxKind.LessThanEqualsToken,
      };
      operator = flipped[operator] ?? operator;
    } else return { name, bound: excerpt(condition, this.index) };
    const bound = excerpt(limitExpression, this.index);
    const limit = evaluate(limitExpression, this.ctx);
    const step = this.stepOf(loop.incrementor, name);
    if (typeof start !== 'number' || typeof limit !== 'number' || step === null || step === 0) {
      return { name, bound: typeof limit !== 'number' ? bound : typeof start !== 'number' ? excerpt(init ?? loop, this.index) : 'step' };
    }
    const holds = (value: number): boolean => {
      switch (operator) {
        case SyntaxKind.LessThanToken:
          return value < limit;
        case SyntaxKind.LessThanEqualsToken:
          return value <= limit;
        case SyntaxKind.GreaterThanToken:
          return value > limit;
        case SyntaxKind.GreaterThanEqualsToken:
          return value >= limit;
        case SyntaxKind.ExclamationEqualsEqualsToken:
        case SyntaxKind.ExclamationEqualsToken:
          return value !== limit;
        default:
          return false;
      }
    };
    const values: number[] = [];
    for (let value = start; holds(value); value += step) {
      values.push(value);
      if (values.length > MAX_UNROLL) return { name, bound: `${bound} (over ${MAX_UNROLL} iterations)` };
    }
    return { name, values };
  }

  protected stepOf(incrementor: ts.Expression | undefined, name: string): number | null {
    if (!incrementor) return null;
    const node = unwrap(incrementor);
    const isCounter = (expr: ts.Expression): boolean => isIdentifier(expr) && expr.text === name;
    if ((isPostfixUnaryExpression(node) || isPrefixUnaryExpression(node)) && isCounter(node.operand)) {
      return node.operator === SyntaxKind.PlusPlusToken ? 1 : node.operator === SyntaxKind.MinusMinusToken ? -1 : null;
    }
    if (isBinaryExpression(node) && isCounter(node.left)) {
      const amount = evaluate(node.right, this.ctx);
      if (node.operatorToken.kind === SyntaxKind.PlusEqualsToken) return typeof amount === 'number' ? amount : null;
      if (node.operatorToken.kind === SyntaxKind.MinusEqualsToken) return typeof amount === 'number' ? -amount : null;
      if (node.operatorToken.kind === SyntaxKind.EqualsToken && isBinaryExpression(node.right) && isCounter(node.right.left)) {
        const delta = evaluate(node.right.right, this.ctx);
        if (typeof delta !== 'number') return null;
        if (node.right.operatorToken.kind === SyntaxKind.PlusToken) return delta;
        if (node.right.operatorToken.kind === SyntaxKind.MinusToken) return -delta;
      }
    }
    return null;
  }

  protected visitFor(loop: ts.ForStatement): void {
    const result = this.forValues(loop);
    if ('values' in result && this.iterations + result.values.length <= ITERATION_BUDGET) {
      const { name, values } = result;
      this.iterations += values.length;
      values.forEach((value, position) =>
        this.withRepeat({ index: position, count: values.length }, new Map([[name, value]]), () => this.visit(loop.statement)),
      );
      return;
    }
    const bound = 'bound' in result ? result.bound : 'iteration budget';
    const bindings = new Map<string, ConfigValue>();
    if (result.name !== null) bindings.set(result.name, unknown(`loop counter '${result.name}'`));
    this.withRepeat({ index: 0, count: null, note: `loop bound '${bound}' unknown: layers treated as repeated` }, bindings, () =>
      this.visit(loop.statement),
    );
  }
}
