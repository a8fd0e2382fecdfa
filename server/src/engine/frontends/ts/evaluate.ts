// Constant folding of TS/JS expressions into config values: literals, consts, spreads, simple arithmetic, comparisons and logic.
import ts from 'typescript';
import type { ConfigValue, UnknownValue } from '../../ir';
import { isUnknown } from '../../ir';
import { excerpt, isArrayFrom, propertyKey, unknown, unwrap, type EvalContext } from './evalContext';
import { helperReturn, resolveIdentifier } from './resolve';
import { ownValue, setOwn } from '../../ownKeys';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const {
  SyntaxKind,
  isIdentifier,
  isOmittedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
} = ts;

const MAX_DEPTH = 40;

// Initializers being evaluated right now: stops `const a = b; const b = a` from recursing.
const resolving = new Set<ts.Node>();

/** Evaluates an expression to a config value; anything not statically known becomes an UnknownValue. */
export function evaluate(expr: ts.Expression, ctx: EvalContext, depth = 0): ConfigValue {
  if (depth > MAX_DEPTH) return unknown('expression too deeply nested');
  const node = unwrap(expr);
  switch (node.kind) {
    case SyntaxKind.NumericLiteral:
      return Number((node as ts.NumericLiteral).text);
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return (node as ts.LiteralExpression).text;
    case SyntaxKind.TrueKeyword:
      return true;
    case SyntaxKind.FalseKeyword:
      return false;
    case SyntaxKind.NullKeyword:
      return null;
    case SyntaxKind.TemplateExpression:
      return evaluateTemplate(node as ts.TemplateExpression, ctx, depth);
    case SyntaxKind.PrefixUnaryExpression:
      return evaluatePrefix(node as ts.PrefixUnaryExpression, ctx, depth);
    case SyntaxKind.BinaryExpression:
      return evaluateBinary(node as ts.BinaryExpression, ctx, depth);
    case SyntaxKind.ArrayLiteralExpression:
      return evaluateArray(node as ts.ArrayLiteralExpression, ctx, depth);
    case SyntaxKind.ObjectLiteralExpression:
      return evaluateObject(node as ts.ObjectLiteralExpression, ctx, depth);
    case SyntaxKind.Identifier:
      return evaluateIdentifier(node as ts.Identifier, ctx, depth);
    case SyntaxKind.PropertyAccessExpression:
      return evaluatePropertyAccess(node as ts.PropertyAccessExpression, ctx, depth);
    case SyntaxKind.ElementAccessExpression:
      return evaluateElementAccess(node as ts.ElementAccessExpression, ctx, depth);
    case SyntaxKind.CallExpression:
      return evaluateMathCall(node as ts.CallExpression, ctx, depth);
    case SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const holds = truthOf(conditional.condition, ctx, depth + 1);
      if (holds === undefined) return unknown(`condition '${excerpt(conditional.condition, ctx.index)}' is not constant`);
      return evaluate(holds ? conditional.whenTrue : conditional.whenFalse, ctx, depth + 1);
    }
    default:
      return unknown(`'${excerpt(node, ctx.index)}' is not a constant expression`);
  }
}

function evaluateTemplate(node: ts.TemplateExpression, ctx: EvalContext, depth: number): ConfigValue {
  let text = node.head.text;
  for (const span of node.templateSpans) {
    const value = evaluate(span.expression, ctx, depth + 1);
    if (isUnknown(value)) return value;
    if (typeof value === 'object' && value !== null) return unknown('template hole holds an object');
    text += String(value) + span.literal.text;
  }
  return text;
}

function evaluatePrefix(node: ts.PrefixUnaryExpression, ctx: EvalContext, depth: number): ConfigValue {
  const operand = evaluate(node.operand, ctx, depth + 1);
  if (isUnknown(operand)) return operand;
  switch (node.operator) {
    case SyntaxKind.MinusToken:
      return typeof operand === 'number' ? -operand : unknown('minus of a non-number');
    case SyntaxKind.PlusToken:
      return typeof operand === 'number' ? operand : unknown('plus of a non-number');
    case SyntaxKind.ExclamationToken:
      return !operand;
    default:
      return unknown(`operator in '${excerpt(node, ctx.index)}' is not folded`);
  }
}

/** JavaScript truthiness of a known value (arrays and objects are truthy). */
function isTruthy(value: Exclude<ConfigValue, UnknownValue>): boolean {
  return typeof value === 'object' ? value !== null : Boolean(value);
}

type Primitive = number | string | boolean | null;

function isPrimitive(value: ConfigValue): value is Primitive {
  return value === null || typeof value !== 'object';
}

/** Equality and order of two primitives with JavaScript's own operators; undefined when the operator is not one of them. */
function compare(op: ts.SyntaxKind, left: Primitive, right: Primitive): boolean | undefined {
  // Loose operators on primitives coerce exactly as at run time, so JavaScript's own operators give the answer.
  switch (op) {
    case SyntaxKind.EqualsEqualsEqualsToken:
      return left === right;
    case SyntaxKind.ExclamationEqualsEqualsToken:
      return left !== right;
    // The interpreter folds the user's own loose comparisons, with JavaScript's meaning.
    case SyntaxKind.EqualsEqualsToken:
      return left == right; // eslint-disable-line eqeqeq
    case SyntaxKind.ExclamationEqualsToken:
      return left != right; // eslint-disable-line eqeqeq
    case SyntaxKind.LessThanToken:
      return (left as number) < (right as number);
    case SyntaxKind.LessThanEqualsToken:
      return (left as number) <= (right as number);
    case SyntaxKind.GreaterThanToken:
      return (left as number) > (right as number);
    case SyntaxKind.GreaterThanEqualsToken:
      return (left as number) >= (right as number);
    default:
      return undefined;
  }
}

function evaluateBinary(node: ts.BinaryExpression, ctx: EvalContext, depth: number): ConfigValue {
  const left = evaluate(node.left, ctx, depth + 1);
  if (isUnknown(left)) return left;
  const op = node.operatorToken.kind;
  // Short-circuits: the right side is not needed (and may be unknown) when the left one decides.
  if (op === SyntaxKind.AmpersandAmpersandToken && !isTruthy(left)) return left;
  if (op === SyntaxKind.BarBarToken && isTruthy(left)) return left;
  if (op === SyntaxKind.QuestionQuestionToken && left !== null) return left;
  const right = evaluate(node.right, ctx, depth + 1);
  if (isUnknown(right)) return right;
  if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) return right;
  if (isPrimitive(left) && isPrimitive(right)) {
    const comparison = compare(op, left, right);
    if (comparison !== undefined) return comparison;
  }
  if (
    op === SyntaxKind.PlusToken &&
    (typeof left === 'string' || typeof right === 'string') &&
    (typeof left !== 'object' || left === null) &&
    (typeof right !== 'object' || right === null)
  ) {
    return String(left) + String(right);
  }
  if (typeof left !== 'number' || typeof right !== 'number') return unknown(`'${excerpt(node, ctx.index)}' is not numeric arithmetic`);
  switch (op) {
    case SyntaxKind.PlusToken:
      return left + right;
    case SyntaxKind.MinusToken:
      return left - right;
    case SyntaxKind.AsteriskToken:
      return left * right;
    case SyntaxKind.SlashToken:
      return left / right;
    case SyntaxKind.PercentToken:
      return left % right;
    case SyntaxKind.AsteriskAsteriskToken:
      return left ** right;
    default:
      return unknown(`operator in '${excerpt(node, ctx.index)}' is not folded`);
  }
}

function evaluateArray(node: ts.ArrayLiteralExpression, ctx: EvalContext, depth: number): ConfigValue {
  const items: ConfigValue[] = [];
  for (const element of node.elements) {
    if (isSpreadElement(element)) {
      const spread = evaluate(element.expression, ctx, depth + 1);
      if (!Array.isArray(spread)) return isUnknown(spread) ? spread : unknown('spread of a non-array');
      items.push(...spread);
    } else if (isOmittedExpression(element)) items.push(null);
    else items.push(evaluate(element, ctx, depth + 1));
  }
  return items;
}

function evaluateObject(node: ts.ObjectLiteralExpression, ctx: EvalContext, depth: number): ConfigValue {
  const result: Record<string, ConfigValue> = {};
  for (const property of node.properties) {
    if (isPropertyAssignment(property)) {
      const key = propertyKey(property.name);
      if (key === null) return unknown('computed property key');
      setOwn(result, key, evaluate(property.initializer, ctx, depth + 1));
    } else if (isShorthandPropertyAssignment(property)) {
      setOwn(result, property.name.text, evaluate(property.name, ctx, depth + 1));
    } else if (isSpreadAssignment(property)) {
      const spread = evaluate(property.expression, ctx, depth + 1);
      if (isUnknown(spread)) return spread;
      if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) return unknown('spread of a non-object');
      for (const key of Object.keys(spread)) setOwn(result, key, spread[key]);
    } else return unknown('object with methods or accessors');
  }
  return result;
}

/** Follows a property path into a config value. */
export function valueAtPath(value: ConfigValue, path: string[]): ConfigValue {
  let current = value;
  for (const key of path) {
    if (isUnknown(current)) return current;
    if (Array.isArray(current)) {
      const position = Number(key);
      current = Number.isInteger(position) && position >= 0 && position < current.length ? current[position] : unknown(`no element ${key}`);
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, key)) current = current[key];
    else return unknown(`no property '${key}'`);
  }
  return current;
}

function evaluateIdentifier(node: ts.Identifier, ctx: EvalContext, depth: number): ConfigValue {
  const bound = ctx.env.get(node.text);
  if (bound !== undefined) return bound;
  if (node.text === 'undefined') return unknown("'undefined'");
  if (node.text === 'Infinity') return Infinity;
  if (node.text === 'NaN') return NaN;
  const resolved = resolveIdentifier(node, ctx);
  if (isUnknown(resolved)) return resolved;
  if (resolving.has(resolved.expression)) return unknown(`'${node.text}' refers to itself`);
  resolving.add(resolved.expression);
  try {
    // Loop bindings stay in force: a const declared inside an unrolled loop body may use the counter.
    const value = evaluate(resolved.expression, ctx, depth + 1);
    return valueAtPath(value, resolved.path);
  } finally {
    resolving.delete(resolved.expression);
  }
}

const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2, LN2: Math.LN2 };

function evaluatePropertyAccess(node: ts.PropertyAccessExpression, ctx: EvalContext, depth: number): ConfigValue {
  const name = node.name.text;
  if (isIdentifier(node.expression) && node.expression.text === 'Math' && Object.hasOwn(MATH_CONSTANTS, name)) return MATH_CONSTANTS[name];
  const base = evaluate(node.expression, ctx, depth + 1);
  if (name === 'length' && (Array.isArray(base) || typeof base === 'string')) return base.length;
  return valueAtPath(base, [name]);
}

function evaluateElementAccess(node: ts.ElementAccessExpression, ctx: EvalContext, depth: number): ConfigValue {
  const base = evaluate(node.expression, ctx, depth + 1);
  const key = evaluate(node.argumentExpression, ctx, depth + 1);
  if (isUnknown(key)) return key;
  if (typeof key !== 'number' && typeof key !== 'string') return unknown('element key is not a number or string');
  return valueAtPath(base, [String(key)]);
}

const MATH_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  sqrt: Math.sqrt,
  pow: Math.pow,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  abs: Math.abs,
  max: Math.max,
  min: Math.min,
  exp: Math.exp,
  log: Math.log,
  log2: Math.log2,
  trunc: Math.trunc,
};

/** `Array.from({length: n})`: n placeholder items, so loops written that way can be unrolled. */
function evaluateArrayFrom(node: ts.CallExpression, ctx: EvalContext, depth: number): ConfigValue {
  const source = node.arguments[0] ? evaluate(node.arguments[0], ctx, depth + 1) : unknown('Array.from without a source');
  if (Array.isArray(source)) return source;
  const length = valueAtPath(source, ['length']);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > 10_000) {
    return isUnknown(length) ? length : unknown('Array.from length is not a small integer');
  }
  return new Array<ConfigValue>(length).fill(null);
}

function evaluateMathCall(node: ts.CallExpression, ctx: EvalContext, depth: number): ConfigValue {
  if (isArrayFrom(node) && node.arguments.length === 1) return evaluateArrayFrom(node, ctx, depth);
  const callee = unwrap(node.expression);
  if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && callee.expression.text === 'Math') {
    const fn = ownValue(MATH_FUNCTIONS, callee.name.text);
    if (fn) {
      const args: number[] = [];
      for (const argument of node.arguments) {
        const value = evaluate(argument, ctx, depth + 1);
        if (typeof value !== 'number') return isUnknown(value) ? value : unknown('Math argument is not a number');
        args.push(value);
      }
      return fn(...args);
    }
  }
  const returned = helperReturn(node, ctx);
  if (returned !== undefined && !resolving.has(returned)) {
    resolving.add(returned);
    try {
      return evaluate(returned, ctx, depth + 1);
    } finally {
      resolving.delete(returned);
    }
  }
  return unknown(`call '${excerpt(node, ctx.index)}' is not evaluated`);
}

/**
 * Whether a condition holds, when that is statically known: `!`, and `&&` / `||` decided by either side alone
 * (`unknown && false` is false whatever the unknown is), else the truthiness of the evaluated value.
 */
export function truthOf(expr: ts.Expression, ctx: EvalContext, depth = 0): boolean | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrap(expr);
  if (node.kind === SyntaxKind.PrefixUnaryExpression && (node as ts.PrefixUnaryExpression).operator === SyntaxKind.ExclamationToken) {
    const operand = truthOf((node as ts.PrefixUnaryExpression).operand, ctx, depth + 1);
    return operand === undefined ? undefined : !operand;
  }
  if (node.kind === SyntaxKind.BinaryExpression) {
    const binary = node as ts.BinaryExpression;
    const op = binary.operatorToken.kind;
    if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken) {
      const decisive = op === SyntaxKind.BarBarToken;
      const left = truthOf(binary.left, ctx, depth + 1);
      if (left === decisive) return decisive;
      const right = truthOf(binary.right, ctx, depth + 1);
      if (right === decisive) return decisive;
      return left === undefined || right === undefined ? undefined : !decisive;
    }
  }
  const value = evaluate(node, ctx, depth + 1);
  return isUnknown(value) ? undefined : isTruthy(value);
}
