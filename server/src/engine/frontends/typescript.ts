// TS/JS front end: finds TF.js models (sequential, functional) in source text with the TypeScript compiler API, syntax only.
import ts from 'typescript';
import type { ConfigValue, Layer, Model, ParseResult } from '../ir';
import { isUnknown } from '../ir';
import { dropInsertionsAtErrors, foldActivationLayers, sharedLayerNote, unnamedLayerName, unnamedModelName } from './common';
import { scanSuppressions } from './suppressions';
import { declarationAt, indexFile, MAX_SYNTAX_DEPTH, syntaxDepthNote, tfPathOf, type Declaration, type FileIndex } from './ts/bindings';
import { EMPTY_ENV, evaluate, isArrayFrom, excerpt, followConst, propertyKey, truthOf, unknown, unwrap, type Env, type EvalContext } from './ts/evaluate';
import { readLayerCall, type LayerDraft } from './ts/layerConfig';
import { declaredInputShape, irOutputShape, layerShape, type Shape, type ShapeContext, type ShapeResult } from '../shapes';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { SyntaxKind, forEachChild, isArrayLiteralExpression, isArrowFunction, isAwaitExpression, isBinaryExpression, isBindingElement, isBlock, isBreakOrContinueStatement, isCallExpression, isCaseClause, isForInStatement, isFunctionExpression, isFunctionLike, isIdentifier, isNewExpression, isObjectBindingPattern, isObjectLiteralExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isShorthandPropertyAssignment, isSpreadElement, isThrowStatement, isVariableDeclarationList, isWhileStatement } = ts;

/** A layer instance met while interpreting the file (applied in a functional graph or added to a sequential model). */
interface LayerNode {
  draft: LayerDraft;
  /** Application order: a topological order of the functional graph. */
  order: number;
  /** Producers of its inputs once applied (null entries: an input that could not be traced). */
  inbound: (LayerNode | null)[] | null;
  shape: ShapeResult | null;
  /** How many times the layer object was applied; more than one shares its weights between the calls. */
  applications?: number;
}

/** What an expression evaluates to at "run time" of the model-building code. */
type RuntimeValue =
  | { kind: 'sequential'; model: Model }
  | { kind: 'functional'; model: Model }
  | { kind: 'layer'; node: LayerNode }
  | { kind: 'tensor'; node: LayerNode | null }
  | { kind: 'list'; items: (RuntimeValue | undefined)[] }
  /** A helper call that was followed but returned nothing model-related. */
  | { kind: 'opaque' };

interface RepeatFrame {
  index: number;
  count: number | null;
  note?: string;
}

/** A condition the analysis cannot evaluate, whose branches are all being read. */
interface ConditionFrame {
  condition: ts.Expression;
  /** How the branches were read, in words for the note. */
  reading: string;
  /** The note, built when a layer first meets it (most unknown conditions guard no layer). */
  note?: string;
}

/** Loops with more iterations than this are not unrolled (the body is read once, with the count kept). */
const MAX_UNROLL = 256;
/** How deep helper calls are followed (`block(x)` inside `stage(x)` inside ...). */
const MAX_CALL_DEPTH = 4;
/** Total loop iterations interpreted per file, so nested loops cannot blow up. */
const ITERATION_BUDGET = 20_000;
/**
 * Syntax nodes walked per file, counting each unrolled iteration and followed helper call again: the interpretation
 * stops there with a note and keeps what it read (helpers called in nested loops multiply the work). Steps, not time,
 * so the result is the same on every machine.
 */
export const STEP_BUDGET = 20_000;

/** The script kind (TS, TSX, JS, JSX) a file name gives the parser. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const LAYERS_PREFIX = 'layers.';

/** The factory name of a `layers.<word>` path (what /^layers\.(\w+)$/ matches), else null; checked by hand as it runs per call. */
function layerFactoryOf(path: string): string | null {
  if (path.length <= LAYERS_PREFIX.length || !path.startsWith(LAYERS_PREFIX)) return null;
  for (let i = LAYERS_PREFIX.length; i < path.length; i++) {
    const code = path.charCodeAt(i);
    const isWordChar = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
    if (!isWordChar) return null;
  }
  return path.slice(LAYERS_PREFIX.length);
}

/** A stable lookup key for a model/tensor/layer holder: `model`, `this.model`, `net.encoder`. */
function keyOf(expr: ts.Expression): string | null {
  let node = unwrap(expr);
  if (isIdentifier(node)) return node.text;
  // A loop, not recursion: a member chain may be thousands of names long.
  const names: string[] = [];
  while (isPropertyAccessExpression(node) && isIdentifier(node.name)) {
    names.push(node.name.text);
    node = unwrap(node.expression);
  }
  let key = isIdentifier(node) ? node.text : node.kind === SyntaxKind.ThisKeyword ? 'this' : null;
  if (key === null) return null;
  for (let i = names.length - 1; i >= 0; i--) key = `${key}.${names[i]}`;
  return key;
}

function lastSegment(key: string | null): string | undefined {
  if (key === null) return undefined;
  const dot = key.lastIndexOf('.');
  return dot < 0 ? key : key.slice(dot + 1);
}

/** The expression a callback returns (concise arrow body or a top-level `return`). */
function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!isBlock(fn.body)) return fn.body;
  for (const statement of fn.body.statements) if (isReturnStatement(statement)) return statement.expression;
  return undefined;
}

function isCallback(node: ts.Node | undefined): node is ts.ArrowFunction | ts.FunctionExpression {
  return node !== undefined && (isArrowFunction(node) || isFunctionExpression(node));
}

/** True for a statement after which a switch clause does not fall through (`break`, `return`, `throw`, or a block ending so). */
function endsClause(statement: ts.Statement): boolean {
  if (isBreakOrContinueStatement(statement) || isReturnStatement(statement) || isThrowStatement(statement)) return true;
  return isBlock(statement) && statement.statements.some(endsClause);
}

/** Loop bindings of one iteration: names in a binding pattern matched against a value. */
function bindPattern(name: ts.BindingName, value: ConfigValue, into: Map<string, ConfigValue>): void {
  if (isIdentifier(name)) {
    into.set(name.text, value);
    return;
  }
  if (isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      const key = element.propertyName ? propertyKey(element.propertyName) : isIdentifier(element.name) ? element.name.text : null;
      const item = key !== null && typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value) && Object.hasOwn(value, key)
        ? value[key] : unknown(`no property '${key ?? '?'}'`);
      bindPattern(element.name, item, into);
    }
  } else {
    name.elements.forEach((element, position) => {
      if (!isBindingElement(element)) return;
      bindPattern(element.name, Array.isArray(value) && position < value.length ? value[position] : unknown('no element'), into);
    });
  }
}

/** Interprets the model-building code of one file: follows variables, unrolls loops, builds the graphs. */
class ModelInterpreter {
  readonly models: Model[] = [];
  private readonly sequentialDrafts = new Map<Model, LayerDraft[]>();
  /** Values of names per declaration: a block's `const m` shadows the outer `m` without replacing its value. */
  private readonly store = new Map<string, Map<Declaration | undefined, RuntimeValue>>();
  private env: Env = EMPTY_ENV;
  private readonly repeats: RepeatFrame[] = [];
  /** Unknown conditions around the code being read, outermost first. */
  private readonly conditions: ConditionFrame[] = [];
  private nodeCount = 0;
  private iterations = 0;
  private depth = 0;
  /** Nodes walked so far, counting every unrolled iteration and followed call again. */
  steps = 0;
  /** True once the walk stopped at STEP_BUDGET. */
  outOfSteps = false;
  /** Start of the first node past MAX_SYNTAX_DEPTH the walk met. */
  tooDeepAt: number | undefined;
  /** Helper functions being followed, innermost last, with the value their top-level `return` gave. */
  private readonly calls: { fn: ts.FunctionLikeDeclaration; returned: RuntimeValue | undefined; nameHint: string | undefined }[] = [];
  /** Function-like nodes being read, innermost last: the function a `return` belongs to (the tree has no parent pointers). */
  private readonly functions: ts.Node[] = [];
  /** Models created while a helper call was being followed. */
  private readonly modelsInCalls = new Set<Model>();

  constructor(private readonly index: FileIndex) {}

  private get ctx(): EvalContext {
    return { index: this.index, env: this.env };
  }

  private get sourceFile(): ts.SourceFile {
    return this.index.sourceFile;
  }

  run(): Model[] {
    this.visit(this.sourceFile);
    for (const [model, drafts] of this.sequentialDrafts) this.finishSequential(model, drafts);
    return this.withoutUnboundCopies();
  }

  /**
   * A model built inside a helper is met twice: where the helper is declared (parameters unknown) and where
   * it is called with a tensor/model (parameters bound). The bound reading wins.
   */
  private withoutUnboundCopies(): Model[] {
    if (this.modelsInCalls.size === 0) return this.models;
    const boundSpans = new Set([...this.modelsInCalls].map((model) => `${model.span.start}:${model.span.end}`));
    return this.models.filter((model) => this.modelsInCalls.has(model) || !boundSpans.has(`${model.span.start}:${model.span.end}`));
  }

  // ---- walking ---------------------------------------------------------------------------------------------

  private readonly visitChild = (node: ts.Node): void => this.visit(node);

  /** Walks a node unless it lies past the depth cap (then only where it starts is kept, for the note). */
  private visit(node: ts.Node): void {
    if (++this.steps > STEP_BUDGET) {
      this.outOfSteps = true;
      return;
    }
    if (this.depth >= MAX_SYNTAX_DEPTH) {
      this.tooDeepAt ??= node.pos;
      return;
    }
    this.depth++;
    try {
      this.visitNode(node);
    } finally {
      this.depth--;
    }
  }

  private visitNode(node: ts.Node): void {
    switch (node.kind) {
      case SyntaxKind.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        if (decl.initializer) this.assign(isIdentifier(decl.name) ? decl.name.text : null, decl.initializer);
        return;
      }
      case SyntaxKind.PropertyDeclaration: {
        const decl = node as ts.PropertyDeclaration;
        if (decl.initializer) this.assign(isIdentifier(decl.name) ? `this.${decl.name.text}` : null, decl.initializer);
        return;
      }
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind === SyntaxKind.EqualsToken) {
          this.assign(keyOf(binary.left), binary.right);
          return;
        }
        break;
      }
      case SyntaxKind.CallExpression:
        if (this.visitCall(node as ts.CallExpression)) return;
        break;
      case SyntaxKind.ReturnStatement: {
        const frame = this.calls[this.calls.length - 1];
        const expression = (node as ts.ReturnStatement).expression;
        if (frame && expression && this.functions[this.functions.length - 1] === frame.fn) {
          // A returned model takes the name of the variable the call is assigned to.
          const value = this.valueOf(expression, frame.nameHint);
          if (value === undefined) this.visit(expression);
          else if (frame.returned === undefined) frame.returned = value;
          return;
        }
        break;
      }
      case SyntaxKind.IfStatement:
        this.visitIf(node as ts.IfStatement);
        return;
      case SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.visit(conditional.condition);
        this.readBranches(conditional.condition, conditional.whenTrue, conditional.whenFalse, 'both operands were read in sequence', this.visitChild);
        return;
      }
      case SyntaxKind.SwitchStatement:
        this.visitSwitch(node as ts.SwitchStatement);
        return;
      case SyntaxKind.ForStatement:
        this.visitFor(node as ts.ForStatement);
        return;
      case SyntaxKind.ForOfStatement:
        this.visitForOf(node as ts.ForOfStatement);
        return;
      case SyntaxKind.ForInStatement:
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement: {
        const loop = node as ts.ForInStatement | ts.WhileStatement | ts.DoStatement;
        const what = isForInStatement(loop) ? 'for-in loop' : isWhileStatement(loop) ? 'while loop' : 'do-while loop';
        this.withRepeat({ index: 0, count: null, note: `${what} count unknown: layers treated as repeated` }, new Map(), () => this.visit(loop.statement));
        return;
      }
      default:
        break;
    }
    if (isFunctionLike(node)) this.within(node, () => forEachChild(node, this.visitChild));
    else forEachChild(node, this.visitChild);
  }

  /** Reads the body of a function-like node (so a `return` in it is known to be its own). */
  private within<T>(fn: ts.Node, read: () => T): T {
    this.functions.push(fn);
    try {
      return read();
    } finally {
      this.functions.pop();
    }
  }

  /** The variable a holder key starts with, as visible at a position (so a parameter of the same name does not match). */
  private declarationOf(key: string, position: number): Declaration | undefined {
    const dot = key.indexOf('.');
    const root = dot < 0 ? key : key.slice(0, dot);
    return root === 'this' ? undefined : declarationAt(this.index, root, position);
  }

  private remember(key: string, value: RuntimeValue, position: number): void {
    let byDeclaration = this.store.get(key);
    if (!byDeclaration) this.store.set(key, byDeclaration = new Map());
    byDeclaration.set(this.declarationOf(key, position), value);
  }

  private recall(key: string, position: number): RuntimeValue | undefined {
    return this.store.get(key)?.get(this.declarationOf(key, position));
  }

  /** The name at this position no longer holds a model, layer or tensor. */
  private forget(key: string, position: number): void {
    this.store.get(key)?.delete(this.declarationOf(key, position));
  }

  private assign(key: string | null, valueExpression: ts.Expression): void {
    const value = this.valueOf(valueExpression, lastSegment(key));
    if (value === undefined) {
      this.visit(valueExpression);
      if (key !== null) this.forget(key, valueExpression.pos); // reassigned to something else: no longer a model/tensor
      return;
    }
    if (key !== null) {
      if (value.kind === 'opaque') this.forget(key, valueExpression.pos);
      else this.remember(key, value, valueExpression.pos);
    }
  }

  private visitCall(call: ts.CallExpression): boolean {
    const callee = unwrap(call.expression);
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.name)) {
      const method = callee.name.text;
      if (method === 'add' || method === 'compile') {
        const key = keyOf(callee.expression);
        const target = key === null ? undefined : this.recall(key, callee.pos);
        if (target?.kind === 'sequential' && method === 'add') {
          this.addToSequential(target.model, call);
          return true;
        }
        if ((target?.kind === 'sequential' || target?.kind === 'functional') && method === 'compile') {
          target.model.loss = this.lossOf(call.arguments[0]);
          return true;
        }
      }
      if ((method === 'forEach' || method === 'map') && isCallback(call.arguments[0])) {
        const callback = call.arguments[0];
        this.iterate(callee.expression, callback.parameters[0]?.name, callback.parameters[1]?.name, () => this.within(callback, () => this.visit(callback.body)));
        return true;
      }
    }
    return this.valueOf(call) !== undefined;
  }

  private lossOf(configExpression: ts.Expression | undefined): string | null {
    if (!configExpression) return null;
    const config = evaluate(configExpression, this.ctx);
    if (typeof config !== 'object' || config === null || Array.isArray(config) || isUnknown(config)) {
      const literal = followConst(configExpression, this.ctx);
      if (!isObjectLiteralExpression(literal)) return null;
      for (const property of literal.properties) {
        if (isPropertyAssignment(property) && propertyKey(property.name) === 'loss') {
          const loss = evaluate(property.initializer, this.ctx);
          return typeof loss === 'string' ? loss : null;
        }
      }
      return null;
    }
    return typeof config.loss === 'string' ? config.loss : null;
  }

  // ---- conditions ------------------------------------------------------------------------------------------

  /**
   * Reads what runs under a condition: only the taken branch when the condition is known (const folding, loop
   * counters, helper arguments), else both in sequence under a frame whose note reaches every model a layer in
   * them joins (the layers are still linted: a bad initializer in either branch is reported).
   */
  private readBranches<T extends ts.Node>(condition: ts.Expression, whenTrue: T, whenFalse: T | undefined, reading: string, read: (branch: T) => void): void {
    const holds = truthOf(condition, this.ctx);
    if (holds === true) read(whenTrue);
    else if (holds === false) {
      if (whenFalse) read(whenFalse);
    } else {
      this.underCondition(condition, reading, () => {
        read(whenTrue);
        if (whenFalse) read(whenFalse);
      });
    }
  }

  private underCondition(condition: ts.Expression, reading: string, body: () => void): void {
    this.conditions.push({ condition, reading });
    try {
      body();
    } finally {
      this.conditions.pop();
    }
  }

  private visitIf(statement: ts.IfStatement): void {
    this.visit(statement.expression);
    // An else-if is the else branch's own IfStatement, so a chain is decided link by link.
    this.readBranches(statement.expression, statement.thenStatement, statement.elseStatement,
      statement.elseStatement ? 'both branches were read in sequence' : 'its branch was read as if it ran', this.visitChild);
  }

  /** A switch on a known value runs from the matching case (or default) through fall-through; otherwise every case is read. */
  private visitSwitch(statement: ts.SwitchStatement): void {
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
  private switchEntry(discriminant: ts.Expression, clauses: ts.NodeArray<ts.CaseOrDefaultClause>): number | undefined {
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

  /** The notes of the unknown conditions around the code being read (empty almost always). */
  private conditionNotes(): string[] {
    return this.conditions.map((frame) => {
      if (frame.note === undefined) {
        const line = this.sourceFile.getLineAndCharacterOfPosition(frame.condition.getStart(this.sourceFile)).line + 1;
        frame.note = `the model depends on a condition the analysis cannot evaluate ('${excerpt(frame.condition, this.index)}', line ${line}): `
          + `${frame.reading}, so the layer count and the predicted gradient ratio may include layers that never run, or never run together`;
      }
      return frame.note;
    });
  }

  /** The draft with the notes of the unknown conditions it was read under. */
  private withConditionNotes(draft: LayerDraft): LayerDraft {
    if (this.conditions.length === 0) return draft;
    return { ...draft, notes: [...draft.notes, ...this.conditionNotes()] };
  }

  // ---- loops -----------------------------------------------------------------------------------------------

  private currentRepeat(): LayerDraft['repeated'] {
    if (this.repeats.length === 0) return undefined;
    let index = 0;
    let count: number | null = 1;
    let note: string | undefined;
    for (const frame of this.repeats) {
      index = count === null || frame.count === null ? frame.index : index * frame.count + frame.index;
      count = count === null || frame.count === null ? null : count * frame.count;
      note = note ?? frame.note;
    }
    return note === undefined ? { index, count } : { index, count, note };
  }

  private withRepeat(frame: RepeatFrame, bindings: Map<string, ConfigValue>, body: () => void): void {
    const savedEnv = this.env;
    if (bindings.size > 0) {
      const env = new Map(savedEnv);
      for (const [name, value] of bindings) env.set(name, value);
      this.env = env;
    }
    this.repeats.push(frame);
    try {
      body();
    } finally {
      this.repeats.pop();
      this.env = savedEnv;
    }
  }

  /** Runs `body` once per item of a constant array (or once, marked repeated, when the array is unknown). */
  private iterate(arrayExpression: ts.Expression, itemName: ts.BindingName | undefined, indexName: ts.BindingName | undefined, body: () => void): void {
    let items = evaluate(arrayExpression, this.ctx);
    // An array-like `{length: n}` (the source of Array.from) iterates n undefined items.
    if (typeof items === 'object' && items !== null && !Array.isArray(items) && !isUnknown(items) && typeof items.length === 'number'
      && Number.isInteger(items.length) && items.length >= 0 && items.length <= MAX_UNROLL) items = new Array<ConfigValue>(items.length).fill(null);
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

  private visitForOf(loop: ts.ForOfStatement): void {
    const declarations = isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations : undefined;
    const itemName = declarations && declarations.length === 1 ? declarations[0].name : undefined;
    this.iterate(loop.expression, itemName, undefined, () => this.visit(loop.statement));
  }

  /** Iteration values of `for (let i = A; i < B; i += k)` when all are constant, else why not. */
  private forValues(loop: ts.ForStatement): { name: string; values: number[] } | { name: string | null; bound: string } {
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
    if (name === null || !condition || !isBinaryExpression(condition)) return { name, bound: condition ? excerpt(condition, this.index) : 'none' };
    let operator: ts.SyntaxKind = condition.operatorToken.kind;
    let limitExpression: ts.Expression;
    if (isIdentifier(condition.left) && condition.left.text === name) limitExpression = condition.right;
    else if (isIdentifier(condition.right) && condition.right.text === name) {
      limitExpression = condition.left;
      const flipped: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
        [SyntaxKind.LessThanToken]: SyntaxKind.GreaterThanToken, [SyntaxKind.GreaterThanToken]: SyntaxKind.LessThanToken,
        [SyntaxKind.LessThanEqualsToken]: SyntaxKind.GreaterThanEqualsToken, [SyntaxKind.GreaterThanEqualsToken]: SyntaxKind.LessThanEqualsToken,
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
        case SyntaxKind.LessThanToken: return value < limit;
        case SyntaxKind.LessThanEqualsToken: return value <= limit;
        case SyntaxKind.GreaterThanToken: return value > limit;
        case SyntaxKind.GreaterThanEqualsToken: return value >= limit;
        case SyntaxKind.ExclamationEqualsEqualsToken: case SyntaxKind.ExclamationEqualsToken: return value !== limit;
        default: return false;
      }
    };
    const values: number[] = [];
    for (let value = start; holds(value); value += step) {
      values.push(value);
      if (values.length > MAX_UNROLL) return { name, bound: `${bound} (over ${MAX_UNROLL} iterations)` };
    }
    return { name, values };
  }

  private stepOf(incrementor: ts.Expression | undefined, name: string): number | null {
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

  private visitFor(loop: ts.ForStatement): void {
    const result = this.forValues(loop);
    if ('values' in result && this.iterations + result.values.length <= ITERATION_BUDGET) {
      const { name, values } = result;
      this.iterations += values.length;
      values.forEach((value, position) => this.withRepeat({ index: position, count: values.length }, new Map([[name, value]]), () => this.visit(loop.statement)));
      return;
    }
    const bound = 'bound' in result ? result.bound : 'iteration budget';
    const bindings = new Map<string, ConfigValue>();
    if (result.name !== null) bindings.set(result.name, unknown(`loop counter '${result.name}'`));
    this.withRepeat({ index: 0, count: null, note: `loop bound '${bound}' unknown: layers treated as repeated` }, bindings, () => this.visit(loop.statement));
  }

  // ---- values ----------------------------------------------------------------------------------------------

  /** Evaluates a model-building expression; undefined when it is not one (the caller then walks into it). */
  private valueOf(expr: ts.Expression, nameHint?: string): RuntimeValue | undefined {
    const node = unwrap(isAwaitExpression(expr) ? expr.expression : expr);
    if (isIdentifier(node) || isPropertyAccessExpression(node)) {
      const key = keyOf(node);
      if (key !== null) {
        const stored = this.recall(key, node.pos);
        if (stored) return stored;
      }
      return undefined;
    }
    if (node.kind === SyntaxKind.ConditionalExpression) return this.conditionalValue(node as ts.ConditionalExpression, nameHint);
    if (isArrayLiteralExpression(node)) {
      const items = node.elements.map((element) => (isSpreadElement(element) ? undefined : this.valueOf(element)));
      return items.some((item) => item !== undefined) ? { kind: 'list', items } : undefined;
    }
    if (!isCallExpression(node)) return undefined;
    const callee = unwrap(node.expression);
    const path = tfPathOf(callee, this.index);
    if (path !== null) {
      if (path === 'sequential') return this.createSequential(node, nameHint);
      if (path === 'model') return this.createFunctional(node, nameHint);
      if (path === 'input' || path === 'layers.input') return this.createInput(node);
      const factory = layerFactoryOf(path);
      if (factory !== null) return { kind: 'layer', node: this.newNode(readLayerCall(node, factory, this.ctx)) };
      return undefined;
    }
    if (isIdentifier(callee)) {
      const followed = this.followHelper(node, callee, nameHint);
      if (followed !== undefined) return followed;
      // A parameterless helper returning a new layer (`const hidden = () => tf.layers.dense({...})`). Models built in a
      // helper are read where the helper is declared: following them here would build a second, empty copy.
      const returned = followConst(node, this.ctx);
      if (returned === node || !isCallExpression(returned)) return undefined;
      const returnedPath = tfPathOf(unwrap(returned.expression), this.index);
      return returnedPath !== null && layerFactoryOf(returnedPath) !== null ? this.valueOf(returned, nameHint) : undefined;
    }
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.name) && callee.name.text === 'apply') {
      const target = this.valueOf(callee.expression);
      if (target?.kind === 'layer') return this.apply(target.node, node.arguments[0]);
      if (target?.kind === 'sequential' || target?.kind === 'functional') return { kind: 'tensor', node: null };
    }
    return undefined;
  }

  /**
   * `cond ? a : b` where one value is needed (`const layer = ...`, `(...).apply(x)`): the taken operand when the
   * condition is known. Otherwise the first operand stands for both, with the note on its layer, and the second is
   * still walked (its calls and adds happen); in a layer list or add call both operands become layers instead
   * (pushLayerDrafts), like the two branches of an unknown `if`.
   */
  private conditionalValue(conditional: ts.ConditionalExpression, nameHint: string | undefined): RuntimeValue | undefined {
    // An undefined value lets the caller walk the expression, and walking a conditional reads only what runs (visit).
    const holds = truthOf(conditional.condition, this.ctx);
    if (holds !== undefined) return this.valueOf(holds ? conditional.whenTrue : conditional.whenFalse, nameHint);
    this.conditions.push({ condition: conditional.condition, reading: 'only its first operand was read' });
    try {
      const value = this.valueOf(conditional.whenTrue, nameHint);
      if (value === undefined) return undefined;
      const node = value.kind === 'layer' || value.kind === 'tensor' ? value.node : null;
      if (node) node.draft = this.withConditionNotes(node.draft);
      this.visit(conditional.whenFalse);
      return value;
    } finally {
      this.conditions.pop();
    }
  }

  /**
   * Follows a call of a helper defined in the file when it is handed a model, tensor or layer
   * (`addBlock(model, 64)`, `residual(x, 32)`): parameters are bound, the body is read, its return value returned.
   * Helpers handed none are not followed: their body was already read where they are declared.
   */
  private followHelper(call: ts.CallExpression, callee: ts.Identifier, nameHint: string | undefined): RuntimeValue | undefined {
    const fn = this.helperNamed(callee);
    if (!fn || !fn.body || this.calls.length >= MAX_CALL_DEPTH || this.calls.some((frame) => frame.fn === fn)) return undefined;
    const runtimeArguments = call.arguments.map((argument) => this.valueOf(argument));
    if (!runtimeArguments.some((value) => value !== undefined && value.kind !== 'opaque')) return undefined;
    const bindings = new Map<string, ConfigValue>();
    const held: [string, RuntimeValue][] = [];
    fn.parameters.forEach((parameter, position) => {
      const argument = call.arguments[position];
      const runtime = runtimeArguments[position];
      if (runtime !== undefined && isIdentifier(parameter.name)) held.push([parameter.name.text, runtime]);
      else if (argument) bindPattern(parameter.name, evaluate(argument, this.ctx), bindings);
      else if (parameter.initializer) bindPattern(parameter.name, evaluate(parameter.initializer, this.ctx), bindings);
    });
    const savedEnv = this.env;
    const env = new Map(savedEnv);
    for (const [name, value] of bindings) env.set(name, value);
    this.env = env;
    const frame = { fn, returned: undefined as RuntimeValue | undefined, nameHint };
    this.calls.push(frame);
    try {
      for (const [name, value] of held) this.remember(name, value, fn.body.pos);
      const body = fn.body;
      this.within(fn, () => {
        if (isBlock(body)) this.visit(body);
        else {
          const value = this.valueOf(body, nameHint);
          if (value === undefined) this.visit(body);
          frame.returned = value;
        }
      });
    } finally {
      this.calls.pop();
      this.env = savedEnv;
    }
    return frame.returned ?? { kind: 'opaque' };
  }

  private helperNamed(callee: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
    const declared = this.index.functions.get(callee.text);
    if (declared) return declared;
    const target = followConst(callee, this.ctx);
    return isArrowFunction(target) || isFunctionExpression(target) ? target : undefined;
  }

  private newNode(draft: LayerDraft): LayerNode {
    const repeated = this.currentRepeat();
    if (repeated) draft.repeated = repeated;
    return { draft, order: this.nodeCount++, inbound: null, shape: null };
  }

  private createInput(call: ts.CallExpression): RuntimeValue {
    const node = this.newNode(readLayerCall(call, 'input', this.ctx));
    const config = node.draft.config;
    node.inbound = [];
    node.shape = layerShape('input', node.draft.className, config, []);
    return { kind: 'tensor', node };
  }

  private tensorsOf(value: RuntimeValue | undefined): (LayerNode | null)[] {
    if (!value) return [null];
    if (value.kind === 'tensor') return [value.node];
    if (value.kind === 'list') return value.items.flatMap((item) => this.tensorsOf(item));
    return [null];
  }

  private apply(node: LayerNode, argument: ts.Expression | undefined): RuntimeValue {
    if (node.inbound === null) {
      const inbound = argument ? this.tensorsOf(this.valueOf(argument)) : [null];
      node.inbound = inbound;
      // Ordered by application, not creation: `add().apply([x, relu().apply(h)])` creates add before relu.
      node.order = this.nodeCount++;
      const inputShapes: (Shape | null)[] = inbound.map((producer) => producer?.shape?.output ?? null);
      if (!inputShapes.some((shape) => shape !== null)) {
        const declared = declaredInputOf(node.draft);
        if (declared) inputShapes[0] = declared;
      }
      node.shape = shapeOfDraft(node.draft, inputShapes);
      node.draft = this.withConditionNotes(node.draft);
    } else {
      node.applications = (node.applications ?? 1) + 1;
    }
    return { kind: 'tensor', node };
  }

  /** Property expressions of a model config literal (`{layers, name}` / `{inputs, outputs, name}`). */
  private configProperties(argument: ts.Expression | undefined): Map<string, ts.Expression> {
    const properties = new Map<string, ts.Expression>();
    if (!argument) return properties;
    const literal = followConst(argument, this.ctx);
    if (!isObjectLiteralExpression(literal)) return properties;
    for (const property of literal.properties) {
      if (isPropertyAssignment(property)) {
        const key = propertyKey(property.name);
        if (key !== null) properties.set(key, property.initializer);
      } else if (isShorthandPropertyAssignment(property)) properties.set(property.name.text, property.name);
    }
    return properties;
  }

  private register(model: Model): void {
    this.models.push(model);
    if (this.calls.length > 0) this.modelsInCalls.add(model);
  }

  private modelName(nameHint: string | undefined, nameExpression: ts.Expression | undefined): string {
    if (nameHint) return nameHint;
    const configName = nameExpression ? evaluate(nameExpression, this.ctx) : undefined;
    return typeof configName === 'string' ? configName : unnamedModelName(this.models.length + 1);
  }

  private createSequential(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue {
    const properties = this.configProperties(call.arguments[0]);
    const model: Model = {
      name: this.modelName(nameHint, properties.get('name')), kind: 'sequential', dialect: 'tfjs',
      span: { start: call.getStart(this.sourceFile), end: call.end }, layers: [], inputShape: null, notes: [],
    };
    this.register(model);
    const drafts: LayerDraft[] = [];
    const layersExpression = properties.get('layers');
    if (layersExpression) this.readLayerList(layersExpression, drafts, model);
    this.sequentialDrafts.set(model, drafts);
    return { kind: 'sequential', model };
  }

  /** Reads a `layers: [...]` array: layer calls, spreads of const arrays and of `.map(...)` over constant arrays. */
  private readLayerList(expression: ts.Expression, into: LayerDraft[], model: Model, depth = 0): void {
    const list = followConst(expression, this.ctx);
    if (!isArrayLiteralExpression(list) || depth > 5) {
      model.notes.push(`layers list '${excerpt(expression, this.index)}' is not statically known`);
      return;
    }
    for (const element of list.elements) {
      if (!isSpreadElement(element)) {
        this.pushLayerDrafts(element, into);
        continue;
      }
      const spread = unwrap(element.expression);
      if (isCallExpression(spread) && isPropertyAccessExpression(spread.expression) && spread.expression.name.text === 'map'
        && isCallback(spread.arguments[0])) {
        const callback = spread.arguments[0];
        const result = returnedExpression(callback);
        this.iterate(spread.expression.expression, callback.parameters[0]?.name, callback.parameters[1]?.name, () => {
          if (result) this.pushLayerDrafts(result, into);
        });
      } else if (isCallExpression(spread) && isArrayFrom(spread) && spread.arguments.length === 2 && isCallback(spread.arguments[1])) {
        // Array.from({length: n}, (_, i) => layer): a map over n placeholders.
        const callback = spread.arguments[1];
        const result = returnedExpression(callback);
        this.iterate(spread.arguments[0], callback.parameters[0]?.name, callback.parameters[1]?.name, () => {
          if (result) this.pushLayerDrafts(result, into);
        });
      } else this.readLayerList(element.expression, into, model, depth + 1);
    }
  }

  /**
   * The layers an expression in a layer position (list element, add argument, map result) puts in the model.
   * A conditional with an unknown condition puts both operands, in sequence and with the note, as an unknown
   * `if` reads both branches: each is linted, where taking one would hide the other's initializer (and taking
   * the whole expression as one unknown layer, as before, would hide both).
   */
  private pushLayerDrafts(expression: ts.Expression, into: LayerDraft[]): void {
    const node = unwrap(expression);
    if (node.kind !== SyntaxKind.ConditionalExpression) {
      into.push(this.withConditionNotes(this.layerDraftOf(expression)));
      return;
    }
    const conditional = node as ts.ConditionalExpression;
    this.visit(conditional.condition);
    this.readBranches(conditional.condition, conditional.whenTrue, conditional.whenFalse, 'both operands were read in sequence', (operand) => this.pushLayerDrafts(operand, into));
  }

  /** The layer an expression builds; an unrecognised one (custom layer, helper call) becomes an 'unknown' layer. */
  private layerDraftOf(expression: ts.Expression): LayerDraft {
    const value = this.valueOf(expression);
    if (value?.kind === 'layer') {
      const repeated = this.currentRepeat();
      return repeated ? { ...value.node.draft, repeated } : value.node.draft;
    }
    if (value?.kind === 'sequential' || value?.kind === 'functional') {
      const inner = value.model;
      return {
        type: 'model', className: inner.kind === 'sequential' ? 'sequential' : 'model', config: { name: inner.name }, properties: {},
        span: { start: expression.getStart(this.sourceFile), end: expression.end },
        activation: { name: 'linear', explicit: false, source: 'default' }, notes: [], inner,
      };
    }
    this.visit(expression);
    const callee = isCallExpression(unwrap(expression)) || isNewExpression(unwrap(expression))
      ? excerpt((unwrap(expression) as ts.CallExpression | ts.NewExpression).expression, this.index)
      : excerpt(expression, this.index);
    const draft: LayerDraft = {
      type: 'unknown', className: callee, config: {}, properties: {},
      span: { start: expression.getStart(this.sourceFile), end: expression.end },
      activation: { name: null, explicit: false, source: 'default' }, notes: [`layer '${callee}' is not a known TF.js layer`],
    };
    const repeated = this.currentRepeat();
    if (repeated) draft.repeated = repeated;
    return draft;
  }

  private addToSequential(model: Model, call: ts.CallExpression): void {
    const argument = call.arguments[0];
    if (!argument) return;
    const drafts = this.sequentialDrafts.get(model);
    if (drafts) this.pushLayerDrafts(argument, drafts);
  }

  private createFunctional(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue {
    const properties = this.configProperties(call.arguments[0]);
    const model: Model = {
      name: this.modelName(nameHint, properties.get('name')), kind: 'functional', dialect: 'tfjs',
      span: { start: call.getStart(this.sourceFile), end: call.end }, layers: [], inputShape: null, notes: [],
    };
    this.register(model);
    const outputsExpression = properties.get('outputs');
    const inputsExpression = properties.get('inputs');
    const outputs = outputsExpression ? this.tensorsOf(this.valueOf(outputsExpression)) : [];
    const inputs = inputsExpression ? this.tensorsOf(this.valueOf(inputsExpression)) : [];
    if (outputs.length === 0 || outputs.some((node) => node === null)) {
      model.notes.push(`outputs '${outputsExpression ? excerpt(outputsExpression, this.index) : '(none)'}' could not be traced to layers`);
    }
    const reachable = new Set<LayerNode>();
    const stack = outputs.filter((node): node is LayerNode => node !== null);
    while (stack.length > 0) {
      const node = stack.pop() as LayerNode;
      if (reachable.has(node)) continue;
      reachable.add(node);
      for (const producer of node.inbound ?? []) if (producer) stack.push(producer);
    }
    const nodes = [...reachable].sort((a, b) => a.order - b.order);
    const ids = new Map<LayerNode, string>();
    nodes.forEach((node, position) => {
      const id = `${model.name}/${position}`;
      ids.set(node, id);
      const inbound = (node.inbound ?? []).filter((producer): producer is LayerNode => producer !== null && ids.has(producer)).map((producer) => ids.get(producer) as string);
      if ((node.inbound ?? []).some((producer) => producer === null) && node.draft.type !== 'input') {
        model.notes.push(`an input of layer ${node.draft.className} #${position} could not be traced`);
      }
      model.layers.push(toLayer(node.draft, id, position, inbound, node.shape));
      if ((node.applications ?? 1) > 1) model.notes.push(sharedLayerNote(model.layers[model.layers.length - 1].name, node.applications ?? 1));
    });
    const firstInput = inputs.find((node) => node !== null);
    const inputShape = firstInput?.shape?.output ?? null;
    model.inputShape = inputShape !== null && inputShape.exactRank ? inputShape.dims : null;
    foldActivationLayers(model.layers);
    collectNotes(model, nodes.map((node) => node.draft));
    return { kind: 'functional', model };
  }

  private finishSequential(model: Model, drafts: LayerDraft[]): void {
    let shape: Shape | null = null;
    drafts.forEach((draft, position) => {
      const input = position === 0 ? declaredInputOf(draft) : shape;
      if (position === 0) model.inputShape = input === null ? null : input.dims;
      const result = shapeOfDraft(draft, [input]);
      shape = result.output;
      const inbound = position === 0 ? [] : [`${model.name}/${position - 1}`];
      model.layers.push(toLayer(draft, `${model.name}/${position}`, position, inbound, result));
    });
    foldActivationLayers(model.layers);
    collectNotes(model, drafts);
  }
}

/**
 * The input shape a layer states about itself. A wrapper's own shape is the one TF.js builds from (the wrapped
 * layer's is then unused: for TimeDistributed it would be one step's), as the JSON front end reads it too.
 */
function declaredInputOf(draft: LayerDraft): Shape | null {
  const fromWrapper = draft.wrapperConfig === undefined ? null : declaredInputShape(draft.type, draft.wrapperConfig);
  return fromWrapper ?? declaredInputShape(draft.type, draft.config);
}

/** Shapes through a layer, seeing through wrappers and models used as layers. */
function shapeOfDraft(draft: LayerDraft, inputs: (Shape | null)[]): ShapeResult {
  const context: ShapeContext = { wrapper: draft.wrapper };
  if (draft.wrapperConfig !== undefined) context.wrapperConfig = draft.wrapperConfig;
  if (draft.inner) context.innerOutput = modelOutputOf(draft.inner);
  return layerShape(draft.type, draft.className, draft.config, inputs, context);
}

/** The output shape of a model used as a layer: its last layer's. */
function modelOutputOf(model: Model): Shape | null {
  const last = model.layers[model.layers.length - 1];
  if (last === undefined) return null;
  if (last.outputShape) return { dims: last.outputShape, exactRank: true };
  return last.outputSize === null ? null : { dims: [last.outputSize], exactRank: false };
}

function toLayer(draft: LayerDraft, id: string, position: number, inbound: string[], shape: ShapeResult | null): Layer {
  const layer: Layer = {
    id,
    name: typeof draft.config.name === 'string' ? draft.config.name : unnamedLayerName(draft.className, position),
    type: draft.type,
    className: draft.className,
    config: draft.config,
    activation: { ...draft.activation },
    fanIn: shape?.fanIn ?? null,
    fanOut: shape?.fanOut ?? null,
    outputSize: shape?.outputSize ?? null,
    outputShape: irOutputShape(shape?.output ?? null, draft.config, draft.wrapper),
    span: draft.span,
    properties: draft.properties,
    inbound,
  };
  if (draft.configSpan) layer.configSpan = draft.configSpan;
  if (draft.insertion) layer.insertion = draft.insertion;
  if (draft.kernelInitializer) layer.kernelInitializer = draft.kernelInitializer;
  if (draft.recurrentInitializer) layer.recurrentInitializer = draft.recurrentInitializer;
  if (draft.biasInitializer) layer.biasInitializer = draft.biasInitializer;
  if (draft.repeated) layer.repeated = { ...draft.repeated };
  if (draft.wrapper) layer.wrapper = draft.wrapper;
  if (draft.inner) layer.inner = draft.inner;
  return layer;
}

function collectNotes(model: Model, drafts: LayerDraft[]): void {
  const notes = new Set(model.notes);
  for (const draft of drafts) {
    if (draft.repeated?.note && draft.repeated.count === null) notes.add(draft.repeated.note);
    for (const note of draft.notes) notes.add(note);
  }
  model.notes = [...notes];
}

interface ParseDiagnostic {
  start?: number;
  length?: number;
  messageText: string | ts.DiagnosticMessageChain;
}

function syntaxNotes(sourceFile: ts.SourceFile): ParseResult['notes'] {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ParseDiagnostic[] }).parseDiagnostics;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.map((diagnostic) => {
    const message = `Syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    if (typeof diagnostic.start !== 'number') return { message };
    return { message, span: { start: diagnostic.start, end: diagnostic.start + (diagnostic.length ?? 0) } };
  });
}

/** Parses TS/JS source into models (never throws: a half-typed file gives what can be read). */
export function parseTypeScript(text: string, fileName: string): ParseResult {
  const suppressions = scanSuppressions(text);
  let sourceFile: ts.SourceFile;
  try {
    // No parent pointers (a fifth of the parse): the readers track parents and scopes themselves.
    sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  } catch (error) {
    return { language: 'typescript', models: [], notes: [{ message: `TypeScript could not parse the file: ${String(error)}` }], suppressions };
  }
  return { ...readModels(sourceFile), suppressions };
}

/** Reads the models of an already parsed source file (for callers that hold one), with its syntax errors as notes. */
export function readModels(sourceFile: ts.SourceFile): Omit<ParseResult, 'suppressions'> {
  const notes = syntaxNotes(sourceFile);
  let models: Model[];
  const index = indexFile(sourceFile);
  const interpreter = new ModelInterpreter(index);
  try {
    models = interpreter.run();
  } catch (error) {
    models = interpreter.models;
    notes.push({ message: `model-lint could not finish reading the models: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (interpreter.outOfSteps) {
    notes.push({ message: `model-lint stopped reading the models of this file after ${STEP_BUDGET} interpretation steps (loops and helper calls unrolled); the models and layers read until then are kept, later code was not read.` });
  }
  const tooDeepAt = index.tooDeepAt ?? interpreter.tooDeepAt;
  if (tooDeepAt !== undefined) {
    const text = sourceFile.text;
    let start = tooDeepAt;
    while (start < text.length && /\s/.test(text[start])) start++;
    notes.push({ message: syntaxDepthNote(), span: { start, end: start } });
  }
  dropInsertionsAtErrors(models, notes.flatMap((note) => (note.span ? [note.span.start] : [])));
  return { language: 'typescript', models, notes };
}
