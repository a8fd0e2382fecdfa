// Sequential and functional models of the TS/JS interpreter: `tf.sequential` (a `layers` list, `add` calls),
// `tf.model` (traced from its outputs), `compile` (the loss) and models used as layers.
import ts from 'typescript';
import type { Model } from '../../ir';
import { isUnknown } from '../../ir';
import { unnamedModelName } from '../common';
import { assembleFunctional, assembleSequential } from './assemble';
import { spanOf } from './configEntries';
import { evaluate } from './evaluate';
import { excerpt, isArrayFrom, propertyKey, unwrap } from './evalContext';
import { followConst } from './resolve';
import type { LayerDraft } from './layerConfig';
import type { RuntimeValue } from './scopes';
import { isCallback, returnedExpression, ValueReader } from './values';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isCallExpression,
  isNewExpression,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadElement,
} = ts;

/** Creates the models and reads their layers; statements are read by the subclass (interpreter.ts). */
export abstract class ModelBuilder extends ValueReader {
  /** Layers of each sequential model in order, made IR layers once the whole file is read (finishModels). */
  private readonly sequentialDrafts = new Map<Model, LayerDraft[]>();

  /** Turns the sequential models' drafts into layers (an `add` may come anywhere after the model's creation). */
  protected finishModels(): void {
    for (const [model, drafts] of this.sequentialDrafts) assembleSequential(model, drafts);
  }

  protected lossOf(configExpression: ts.Expression | undefined): string | null {
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

  /** A new model of a `tf.sequential` / `tf.model` call, registered, with the properties of its config literal. */
  private newModel(
    call: ts.CallExpression,
    kind: 'sequential' | 'functional',
    nameHint: string | undefined,
  ): { model: Model; properties: Map<string, ts.Expression> } {
    const properties = this.configProperties(call.arguments[0]);
    const model: Model = {
      name: this.modelName(nameHint, properties.get('name')),
      kind,
      dialect: 'tfjs',
      span: spanOf(call, this.index),
      layers: [],
      inputShape: null,
      notes: [],
    };
    this.models.push(model);
    if (this.calls.length > 0) this.modelsInCalls.add(model);
    return { model, properties };
  }

  private modelName(nameHint: string | undefined, nameExpression: ts.Expression | undefined): string {
    if (nameHint) return nameHint;
    const configName = nameExpression ? evaluate(nameExpression, this.ctx) : undefined;
    return typeof configName === 'string' ? configName : unnamedModelName(this.models.length + 1);
  }

  protected override createSequential(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue {
    const { model, properties } = this.newModel(call, 'sequential', nameHint);
    const drafts: LayerDraft[] = [];
    const layersExpression = properties.get('layers');
    if (layersExpression) this.readLayerList(layersExpression, drafts, model);
    this.sequentialDrafts.set(model, drafts);
    return { kind: 'sequential', model };
  }

  /** Reads a `layers: [...]` array: layer calls, spreads of const arrays and of `.map(...)` over constant arrays. */
  protected readLayerList(expression: ts.Expression, into: LayerDraft[], model: Model, depth = 0): void {
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
      if (
        isCallExpression(spread) &&
        isPropertyAccessExpression(spread.expression) &&
        spread.expression.name.text === 'map' &&
        isCallback(spread.arguments[0])
      ) {
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
  protected pushLayerDrafts(expression: ts.Expression, into: LayerDraft[]): void {
    const node = unwrap(expression);
    if (node.kind !== SyntaxKind.ConditionalExpression) {
      into.push(this.withConditionNotes(this.layerDraftOf(expression)));
      return;
    }
    const conditional = node as ts.ConditionalExpression;
    this.visit(conditional.condition);
    this.readBranches(
      conditional.condition,
      conditional.whenTrue,
      conditional.whenFalse,
      'both operands were read in sequence',
      (operand) => this.pushLayerDrafts(operand, into),
    );
  }

  /** The layer an expression builds; an unrecognised one (custom layer, helper call) becomes an 'unknown' layer. */
  protected layerDraftOf(expression: ts.Expression): LayerDraft {
    const value = this.runtimeValueOf(expression);
    if (value?.kind === 'layer') {
      const repeated = this.currentRepeat();
      return repeated ? { ...value.node.draft, repeated } : value.node.draft;
    }
    if (value?.kind === 'sequential' || value?.kind === 'functional') {
      const inner = value.model;
      return {
        type: 'model',
        className: inner.kind === 'sequential' ? 'sequential' : 'model',
        config: { name: inner.name },
        properties: {},
        span: spanOf(expression, this.index),
        activation: { name: 'linear', explicit: false, source: 'default' },
        notes: [],
        inner,
      };
    }
    this.visit(expression);
    const callee =
      isCallExpression(unwrap(expression)) || isNewExpression(unwrap(expression))
        ? excerpt((unwrap(expression) as ts.CallExpression | ts.NewExpression).expression, this.index)
        : excerpt(expression, this.index);
    const draft: LayerDraft = {
      type: 'unknown',
      className: callee,
      config: {},
      properties: {},
      span: spanOf(expression, this.index),
      activation: { name: null, explicit: false, source: 'default' },
      notes: [`layer '${callee}' is not a known TF.js layer`],
    };
    const repeated = this.currentRepeat();
    if (repeated) draft.repeated = repeated;
    return draft;
  }

  protected addToSequential(model: Model, call: ts.CallExpression): void {
    const argument = call.arguments[0];
    if (!argument) return;
    const drafts = this.sequentialDrafts.get(model);
    if (drafts) this.pushLayerDrafts(argument, drafts);
  }

  protected override createFunctional(call: ts.CallExpression, nameHint: string | undefined): RuntimeValue {
    const { model, properties } = this.newModel(call, 'functional', nameHint);
    const outputsExpression = properties.get('outputs');
    const inputsExpression = properties.get('inputs');
    const outputs = outputsExpression ? this.tensorsOf(this.runtimeValueOf(outputsExpression)) : [];
    const inputs = inputsExpression ? this.tensorsOf(this.runtimeValueOf(inputsExpression)) : [];
    if (outputs.length === 0 || outputs.some((node) => node === null)) {
      model.notes.push(`outputs '${outputsExpression ? excerpt(outputsExpression, this.index) : '(none)'}' could not be traced to layers`);
    }
    assembleFunctional(model, outputs, inputs);
    return { kind: 'functional', model };
  }
}
