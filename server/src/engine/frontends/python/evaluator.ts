// The expression half of the Python reader: literals, names, containers, comprehensions, arithmetic, attributes and
// subscripts, under the depth caps. Its state and step budget are readerState.ts (the base class); statements and calls
// are interpreter.ts (a subclass).
import type { SyntaxNode } from '@lezer/common';
import { canonicalPath } from './libraryPaths';
import { CarriedValueRead, MAX_UNROLL, ReaderState } from './readerState';
import { isDisplayRead } from './syntax';
import { childNamed, childrenOf, expressionChildren, numberValue, stringValue } from './syntax';
import { constValue, isSharedState, lookup, numberOf, unknownValue, type ClassInfo, type Scope, type Value } from './values';

/** Nesting depth of expressions and calls the reader follows. */
const MAX_EXPRESSION_DEPTH = 120;
/**
 * Expressions being evaluated at once, counted across calls: a call's arguments start their own depth count, so
 * without this `nn.Sequential(nn.Sequential(…` nested 10,000 deep would overflow the stack.
 */
const MAX_NESTED_EVALUATIONS = 400;

/** What expressions ask of the library layer (torch / keras); the interpreter's LibraryHooks extend it with calls. */
export interface ExpressionHooks {
  /** An attribute of a value (layer.weight, instance attrs are handled here first). */
  attribute(receiver: Value, name: string, node: SyntaxNode): Value | undefined;
  /** A binary operation the interpreter does not fold itself (tensor + tensor, tensor-init * number). */
  binary(op: string, left: Value, right: Value, node: SyntaxNode, evaluator: Evaluator): Value | undefined;
}

/** Calls, assignments and class lookups the expressions need; the interpreter provides them. */
export abstract class Evaluator extends ReaderState {
  hooks!: ExpressionHooks;

  // ---- expressions ----

  eval(node: SyntaxNode, scope: Scope, depth = 0): Value {
    this.step();
    if (depth > MAX_EXPRESSION_DEPTH || this.evaluating >= MAX_NESTED_EVALUATIONS) return unknownValue('expression nested too deeply');
    this.evaluating++;
    try {
      return this.evalNode(node, scope, depth);
    } finally {
      this.evaluating--;
    }
  }

  /** Expressions being evaluated right now (see MAX_NESTED_EVALUATIONS). */
  protected evaluating = 0;

  protected evalNode(node: SyntaxNode, scope: Scope, depth: number): Value {
    switch (node.name) {
      case 'Number': {
        const value = numberValue(this.text(node));
        return value === null ? unknownValue(`'${this.text(node)}' is not a real number`) : constValue(value);
      }
      case 'String':
      case 'ContinuedString': {
        const value = stringValue(this.source, node);
        return value === null ? unknownValue('an f-string or bytes literal') : constValue(value);
      }
      case 'FormatString':
        return unknownValue('an f-string');
      case 'Boolean':
        return constValue(this.text(node) === 'True');
      case 'None':
        return constValue(null);
      case 'VariableName': {
        const name = this.text(node);
        const value = lookup(scope, name);
        if (value !== undefined && this.carried.has(value) && !isDisplayRead(node, this.source.text)) throw new CarriedValueRead(name);
        if (this.watch !== null && (value === undefined || this.globals.names.get(name) === value)) {
          if (value !== undefined && isSharedState(value)) this.watch.shared = true;
          else if (!this.watch.reads.has(name)) this.watch.reads.set(name, value);
        }
        if (value !== undefined) return value;
        return BUILTINS.has(name) ? { kind: 'path', path: name } : unknownValue(`'${name}' is not known statically`);
      }
      case 'ParenthesizedExpression': {
        const inner = expressionChildren(node)[0];
        return inner ? this.eval(inner, scope, depth + 1) : unknownValue('empty parentheses');
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return this.sequence(expressionChildren(node), scope, depth);
      case 'DictionaryExpression':
        return this.dictionary(node, scope, depth);
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
        return this.comprehension(node, scope, depth);
      case 'UnaryExpression': {
        const [op, operand] = childrenOf(node);
        if (!operand) return unknownValue('incomplete expression');
        const value = this.eval(operand, scope, depth + 1);
        const opText = this.text(op);
        if (opText === 'not') {
          const truth = this.truth(value);
          return truth === undefined ? unknownValue('a condition model-lint cannot decide') : constValue(!truth);
        }
        const n = numberOf(value);
        if (n === null) return value.kind === 'unknown' ? value : unknownValue(`'${this.text(node).slice(0, 40)}' is not a known number`);
        return constValue(opText === '-' ? -n : opText === '~' ? ~n : n);
      }
      case 'BinaryExpression':
        return this.binaryExpression(node, scope, depth);
      case 'ConditionalExpression': {
        const [then, , test, , otherwise] =
          expressionChildren(node).length === 3
            ? [expressionChildren(node)[0], null, expressionChildren(node)[1], null, expressionChildren(node)[2]]
            : [];
        if (!then || !test || !otherwise) return unknownValue('incomplete conditional expression');
        const truth = this.truth(this.eval(test, scope, depth + 1));
        if (truth === undefined) return unknownValue(`'${this.text(test).slice(0, 40)}' cannot be decided statically`);
        return this.eval(truth ? then : otherwise, scope, depth + 1);
      }
      case 'LambdaExpression':
        return { kind: 'function', fn: { node, name: '<lambda>', closure: scope } };
      case 'MemberExpression':
        return this.member(node, scope, depth);
      case 'CallExpression':
        return this.call(node, scope, depth);
      default:
        return unknownValue(`'${this.text(node).slice(0, 40)}' is not read by model-lint`);
    }
  }

  protected sequence(items: SyntaxNode[], scope: Scope, depth: number): Value {
    const values: Value[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.name === '*') {
        const spread = items[i + 1] ? this.iterate(this.eval(items[i + 1], scope, depth + 1)) : null;
        if (spread === null) return unknownValue('a spread of values model-lint cannot know');
        values.push(...spread);
        i++;
        continue;
      }
      values.push(this.eval(item, scope, depth + 1));
    }
    return { kind: 'list', items: values };
  }

  protected dictionary(node: SyntaxNode, scope: Scope, depth: number): Value {
    const items = expressionChildren(node);
    const entries = new Map<string, Value>();
    for (let i = 0; i < items.length; i++) {
      if (items[i].name === '**') {
        const spread = items[i + 1] ? this.eval(items[i + 1], scope, depth + 1) : null;
        if (spread?.kind === 'dict') spread.entries.forEach((v, k) => entries.set(k, v));
        else return unknownValue('a ** spread model-lint cannot know');
        i++;
        continue;
      }
      const key = this.eval(items[i], scope, depth + 1);
      const value = items[i + 1] ? this.eval(items[i + 1], scope, depth + 1) : unknownValue('missing value');
      i++;
      if (key.kind !== 'const' || (typeof key.value !== 'string' && typeof key.value !== 'number'))
        return unknownValue('a dict with keys model-lint cannot know');
      entries.set(String(key.value), value);
    }
    return { kind: 'dict', entries };
  }

  protected comprehension(node: SyntaxNode, scope: Scope, depth: number): Value {
    const children = childrenOf(node).filter((c) => c.name !== '[' && c.name !== ']' && c.name !== '(' && c.name !== ')');
    const forIndex = children.findIndex((c) => c.name === 'for');
    const inIndex = children.findIndex((c) => c.name === 'in');
    if (forIndex < 1 || inIndex < forIndex) return unknownValue('a comprehension model-lint cannot read');
    if (children.slice(inIndex + 2).some((c) => c.name === 'for')) return unknownValue('a nested comprehension');
    const element = children[0];
    const targets = children.slice(forIndex + 1, inIndex).filter((c) => c.name !== ',');
    const items = this.iterate(this.eval(children[inIndex + 1], scope, depth + 1));
    if (items === null) return unknownValue(`'${this.text(children[inIndex + 1]).slice(0, 40)}' cannot be iterated statically`);
    const ifIndex = children.findIndex((c, i) => i > inIndex && c.name === 'if');
    const inner: Scope = { names: new Map(), parent: scope };
    const values: Value[] = [];
    for (const item of items.slice(0, MAX_UNROLL)) {
      if (targets.length === 1) this.assign(targets[0], item, inner, node);
      else this.assignTuple(targets, item, inner, node);
      if (ifIndex >= 0 && children[ifIndex + 1]) {
        const truth = this.truth(this.eval(children[ifIndex + 1], inner, depth + 1));
        if (truth === false) continue;
        if (truth === undefined) return unknownValue('a comprehension filter that cannot be decided');
      }
      values.push(this.eval(element, inner, depth + 1));
    }
    return { kind: 'list', items: values };
  }

  protected binaryExpression(node: SyntaxNode, scope: Scope, depth: number): Value {
    const children = childrenOf(node);
    const left = children[0];
    const right = children[children.length - 1];
    const op = children
      .slice(1, -1)
      .map((c) => this.text(c))
      .join(' ');
    if (!left || !right || left === right) return unknownValue('incomplete expression');
    if (op === 'and' || op === 'or') {
      const l = this.eval(left, scope, depth + 1);
      const truth = this.truth(l);
      if (truth === undefined) return unknownValue(`'${this.text(node).slice(0, 40)}' cannot be decided statically`);
      if (op === 'and') return truth ? this.eval(right, scope, depth + 1) : l;
      return truth ? l : this.eval(right, scope, depth + 1);
    }
    return this.binaryValues(op, this.eval(left, scope, depth + 1), this.eval(right, scope, depth + 1), node);
  }

  binaryValues(op: string, l: Value, r: Value, node: SyntaxNode): Value {
    const a = numberOf(l);
    const b = numberOf(r);
    if (a !== null && b !== null) {
      switch (op) {
        case '+':
          return constValue(a + b);
        case '-':
          return constValue(a - b);
        case '*':
          return constValue(a * b);
        case '/':
          return b === 0 ? unknownValue('division by zero') : constValue(a / b);
        case '//':
          return b === 0 ? unknownValue('division by zero') : constValue(Math.floor(a / b));
        case '%':
          return b === 0 ? unknownValue('division by zero') : constValue(((a % b) + b) % b);
        case '**':
          return constValue(a ** b);
        case '==':
          return constValue(a === b);
        case '!=':
          return constValue(a !== b);
        case '<':
          return constValue(a < b);
        case '<=':
          return constValue(a <= b);
        case '>':
          return constValue(a > b);
        case '>=':
          return constValue(a >= b);
        default:
          break;
      }
    }
    if (l.kind === 'const' && r.kind === 'const' && typeof l.value === 'string' && typeof r.value === 'string') {
      if (op === '+') return constValue(l.value + r.value);
      if (op === '==') return constValue(l.value === r.value);
      if (op === '!=') return constValue(l.value !== r.value);
      if (op === 'in') return constValue(r.value.includes(l.value));
    }
    if ((op === 'is' || op === 'is not' || op === '==' || op === '!=') && r.kind === 'const' && r.value === null) {
      const isNone = l.kind === 'const' ? l.value === null : l.kind === 'unknown' ? undefined : false;
      if (isNone === undefined) return unknownValue('a comparison with None model-lint cannot decide');
      return constValue(op === 'is' || op === '==' ? isNone : !isNone);
    }
    if (l.kind === 'const' && Array.isArray(l.value) && op === '*' && b !== null)
      return constValue(
        Array(Math.max(0, Math.min(b, MAX_UNROLL)))
          .fill(l.value)
          .flat(),
      );
    if (l.kind === 'list' && op === '+' && r.kind === 'list') return { kind: 'list', items: [...l.items, ...r.items] };
    if (l.kind === 'list' && op === '*' && b !== null)
      return { kind: 'list', items: Array.from({ length: Math.max(0, Math.min(b, MAX_UNROLL)) }, () => l.items).flat() };
    return (
      this.hooks.binary(op, l, r, node, this) ?? unknownValue(`'${this.text(node).slice(0, 40)}' is not a value model-lint can compute`)
    );
  }

  protected member(node: SyntaxNode, scope: Scope, depth: number): Value {
    const object = node.firstChild;
    if (!object) return unknownValue('incomplete expression');
    const receiver = this.eval(object, scope, depth + 1);
    const property = childNamed(node, 'PropertyName');
    if (property === null) {
      // Subscript: list[i], dict['k'], container[i], tensor[...] (a tensor stays the same tensor).
      const index = expressionChildren(node)[1];
      if (receiver.kind === 'tensor') return receiver;
      const key = index ? this.eval(index, scope, depth + 1) : unknownValue('empty subscript');
      return subscript(receiver, key);
    }
    return this.attributeOf(receiver, this.text(property), node);
  }

  /** Attribute `name` of an evaluated receiver (`node` is the member expression): a path, an instance member, a hook's. */
  protected attributeOf(receiver: Value, name: string, node: SyntaxNode): Value {
    if (receiver.kind === 'path') return { kind: 'path', path: canonicalPath(`${receiver.path}.${name}`) };
    if (receiver.kind === 'instance') {
      const attr = receiver.instance.attrs.get(name);
      if (attr !== undefined) return attr;
      const found = this.findMethod(receiver.instance.cls, name);
      if (found) return { kind: 'function', fn: { node: found.method, name, closure: this.globals, self: receiver } };
    }
    return this.hooks.attribute(receiver, name, node) ?? unknownValue(`'${this.text(node).slice(0, 40)}' is not known statically`);
  }

  /** A call expression (interpreter.ts). */
  protected abstract call(node: SyntaxNode, scope: Scope, depth: number): Value;
  /** Binds a value to an assignment target (interpreter.ts). */
  abstract assign(target: SyntaxNode, value: Value, scope: Scope, statement: SyntaxNode): void;
  /** Unpacks a value over several targets (interpreter.ts). */
  abstract assignTuple(targets: SyntaxNode[], value: Value, scope: Scope, statement: SyntaxNode): void;
  /** The method of a class or its first base that has it (interpreter.ts). */
  abstract findMethod(cls: ClassInfo, name: string): { method: SyntaxNode; owner: ClassInfo } | null;
}

/** Names Python provides without an import that model code calls. */
const BUILTINS = new Set([
  'range',
  'len',
  'isinstance',
  'type',
  'list',
  'tuple',
  'dict',
  'int',
  'float',
  'str',
  'bool',
  'enumerate',
  'zip',
  'reversed',
  'min',
  'max',
  'abs',
  'round',
  'print',
  'super',
  'getattr',
  'setattr',
  'hasattr',
  'sum',
]);

export function subscript(receiver: Value, key: Value): Value {
  const index = numberOf(key);
  if (receiver.kind === 'list' && index !== null)
    return receiver.items[index < 0 ? receiver.items.length + index : index] ?? unknownValue('index past the end');
  if (receiver.kind === 'const' && Array.isArray(receiver.value) && index !== null)
    return constValue(receiver.value[index < 0 ? receiver.value.length + index : index] ?? null);
  if (receiver.kind === 'dict' && key.kind === 'const' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return receiver.entries.get(String(key.value)) ?? unknownValue(`key ${JSON.stringify(key.value)} not found`);
  }
  if (receiver.kind === 'container') {
    if (receiver.container.kind === 'dict' && key.kind === 'const' && typeof key.value === 'string') {
      return receiver.container.items.find((item) => item.name === key.value)?.value ?? unknownValue(`no module '${key.value}'`);
    }
    if (index !== null) {
      const items = receiver.container.items;
      return items[index < 0 ? items.length + index : index]?.value ?? unknownValue('index past the end');
    }
  }
  if (receiver.kind === 'unknown') return receiver;
  return unknownValue('a subscript model-lint cannot read');
}
