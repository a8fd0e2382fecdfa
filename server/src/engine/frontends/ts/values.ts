// Values of the TS/JS interpreter: what a model-building expression gives (a layer, a tensor, a model, a list),
// layer construction and application, model inputs, and helper functions followed with their arguments bound.
import ts from 'typescript';
import type { ConfigValue } from '../../ir';
import { layerShape, type Shape } from '../../shapes';
import { declaredInputOf, shapeOfDraft } from './assemble';
import { tfPathOf } from './bindings';
import { bindPattern, ControlFlowReader } from './controlFlow';
import { evaluate, truthOf } from './evaluate';
import { followConst } from './resolve';
import { unwrap } from './evalContext';
import { readLayerCall, type LayerDraft } from './layerConfig';
import { keyOf, MAX_CALL_DEPTH, type LayerNode, type RuntimeValue } from './scopes';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBlock,
  isCallExpression,
  isFunctionExpression,
  isIdentifier,
  isPropertyAccessExpression,
  isReturnStatement,
  isSpreadElement,
} = ts;

const LAYERS_PREFIX = 'layers.';

/** The factory name of a `layers.<word>` path (what /^layers\.(\w+)$/ matches), else null; checked by hand as it runs per call. */
export function layerFactoryOf(path: string): string | null {
  if (path.length <= LAYERS_PREFIX.length || !path.startsWith(LAYERS_PREFIX)) return null;
  for (let i = LAYERS_PREFIX.length; i < path.length; i++) {
    const code = path.charCodeAt(i);
    const isWordChar = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
    if (!isWordChar) return null;
  }
  return path.slice(LAYERS_PREFIX.length);
}

/** The expression a callback returns (concise arrow body or a top-level `return`). */
export function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!isBlock(fn.body)) return fn.body;
  for (const statement of fn.body.statements) if (isReturnStatement(statement)) return statement.expression;
  return undefined;
}

export function isCallback(node: ts.Node | undefined): node is ts.ArrowFunction | ts.FunctionExpression {
  return node !== undefined && (isArrowFunction(node) || isFunctionExpression(node));
}

/** Evaluates model-building expressions; the models themselves are created by the subclass (models.ts). */
export abstract class ValueReader extends ControlFlowReader {
  /** A `tf.sequential(...)` call: a new sequential model, its `layers` list read. */
  protected abstract createSequential(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue;
  /** A `tf.model(...)` call: a new functional model, its graph traced back from `outputs`. */
  protected abstract createFunctional(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue;

  /** Evaluates a model-building expression; undefined when it is not one (the caller then walks into it). */
  protected runtimeValueOf(expr: ts.Expression, nameHint?: string): RuntimeValue | undefined {
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
      const items = node.elements.map((element) => (isSpreadElement(element) ? undefined : this.runtimeValueOf(element)));
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
      return returnedPath !== null && layerFactoryOf(returnedPath) !== null ? this.runtimeValueOf(returned, nameHint) : undefined;
    }
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.name) && callee.name.text === 'apply') {
      const target = this.runtimeValueOf(callee.expression);
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
  protected conditionalValue(conditional: ts.ConditionalExpression, nameHint: string | undefined): RuntimeValue | undefined {
    // An undefined value lets the caller walk the expression, and walking a conditional reads only what runs (visit).
    const holds = truthOf(conditional.condition, this.ctx);
    if (holds !== undefined) return this.runtimeValueOf(holds ? conditional.whenTrue : conditional.whenFalse, nameHint);
    this.conditions.push({ condition: conditional.condition, reading: 'only its first operand was read' });
    try {
      const value = this.runtimeValueOf(conditional.whenTrue, nameHint);
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
  protected followHelper(call: ts.CallExpression, callee: ts.Identifier, nameHint: string | undefined): RuntimeValue | undefined {
    const fn = this.helperNamed(callee);
    if (!fn || !fn.body || this.calls.length >= MAX_CALL_DEPTH || this.calls.some((frame) => frame.fn === fn)) return undefined;
    const runtimeArguments = call.arguments.map((argument) => this.runtimeValueOf(argument));
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
          const value = this.runtimeValueOf(body, nameHint);
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

  protected helperNamed(callee: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
    const declared = this.index.functions.get(callee.text);
    if (declared) return declared;
    const target = followConst(callee, this.ctx);
    return isArrowFunction(target) || isFunctionExpression(target) ? target : undefined;
  }

  protected newNode(draft: LayerDraft): LayerNode {
    const repeated = this.currentRepeat();
    if (repeated) draft.repeated = repeated;
    return { draft, order: this.nodeCount++, inbound: null, shape: null };
  }

  protected createInput(call: ts.CallExpression): RuntimeValue {
    const node = this.newNode(readLayerCall(call, 'input', this.ctx));
    const config = node.draft.config;
    node.inbound = [];
    node.shape = layerShape('input', node.draft.className, config, []);
    return { kind: 'tensor', node };
  }

  protected tensorsOf(value: RuntimeValue | undefined): (LayerNode | null)[] {
    if (!value) return [null];
    if (value.kind === 'tensor') return [value.node];
    if (value.kind === 'list') return value.items.flatMap((item) => this.tensorsOf(item));
    return [null];
  }

  protected apply(node: LayerNode, argument: ts.Expression | undefined): RuntimeValue {
    if (node.inbound === null) {
      const inbound = argument ? this.tensorsOf(this.runtimeValueOf(argument)) : [null];
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
}
