// Reads one `tf.layers.X({...})` call: config values, property spans, initializers, activation and insertion point.
import ts from 'typescript';
import type { ActivationAttr, ConfigValue, InitializerAttr, InsertionPoint, LayerType, Model, Span } from '../../ir';
import { activationIdOf, layerTypeOf } from '../../catalog/names';
import { defaultActivation, defaultInitializers, kernelKeyOf } from '../../catalog/layerDefaults';
import { impliedActivation } from '../common';
import { tfPathOf } from './bindings';
import {
  collectEntries,
  insertionInto,
  spanOf,
  type CollectedConfig,
  type ConfigEntry,
  type PropertySpans,
  type SpanSource,
} from './configEntries';
import { evaluate } from './evaluate';
import { propertyKey, unwrap, type EvalContext } from './evalContext';
import { defaultInitializer, readInitializer } from './layerInitializers';
import { followConst } from './resolve';
import { ownValue, setOwn } from '../../ownKeys';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { isCallExpression, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment } = ts;

/** A layer as read from its factory call, before it is placed in a model. */
export interface LayerDraft {
  type: LayerType;
  className: string;
  config: Record<string, ConfigValue>;
  properties: Record<string, { keySpan: Span; valueSpan: Span; propertySpan: Span }>;
  span: Span;
  configSpan?: Span;
  insertion?: InsertionPoint;
  activation: ActivationAttr;
  kernelInitializer?: InitializerAttr;
  recurrentInitializer?: InitializerAttr;
  biasInitializer?: InitializerAttr;
  repeated?: { index: number; count: number | null; note?: string };
  /** Wrapper class ('Bidirectional', 'TimeDistributed') when this is the wrapped layer. */
  wrapper?: string;
  /** What the wrapper's own config says about shapes (WRAPPER_SHAPE_KEYS): its merge mode and the input shape TF.js reads there. */
  wrapperConfig?: Record<string, ConfigValue>;
  /** For a model used as a layer: the inner model. */
  inner?: Model;
  /** Things that could not be read, in words. */
  notes: string[];
}

function activationOf(
  type: LayerType,
  className: string,
  config: Record<string, ConfigValue>,
  entry: ConfigEntry | undefined,
  collected: CollectedConfig,
  written: PropertySpans | undefined,
  file: SpanSource,
): ActivationAttr {
  const implied = impliedActivation(className, config);
  if (implied !== null) return { ...implied, explicit: true, source: 'own' };
  if (entry || 'activation' in config) {
    const value = config.activation;
    const attr: ActivationAttr = { name: typeof value === 'string' ? activationIdOf(value) : null, explicit: true, source: 'own' };
    if (entry?.property && entry.expression) {
      attr.valueSpan = written ? { start: written.valueSpan.start, end: written.valueSpan.end } : spanOf(entry.expression, file);
    }
    return attr;
  }
  if (!collected.complete && (type === 'activation' || defaultActivation(type) !== null))
    return { name: null, explicit: false, source: 'default' };
  return { name: defaultActivation(type) ?? 'linear', explicit: false, source: 'default' };
}

/** Config keys ending with this hold initializers (a suffix test, not a regex: it runs per property). */
const INITIALIZER_SUFFIX = 'Initializer';

const WRAPPERS: Record<string, string> = { bidirectional: 'Bidirectional', timedistributed: 'TimeDistributed' };

/** Wrapper lookups by factory name as written, so the common case does not lower-case a string per layer. */
const wrapperByFactory = new Map<string, string | undefined>();

function wrapperOf(factory: string): string | undefined {
  if (wrapperByFactory.has(factory)) return wrapperByFactory.get(factory);
  const wrapper = ownValue(WRAPPERS, factory.toLowerCase());
  // Names come from user files: a long-lived server must not collect them without bound.
  if (wrapperByFactory.size >= 512) wrapperByFactory.clear();
  wrapperByFactory.set(factory, wrapper);
  return wrapper;
}

/**
 * A wrapper's own config keys the shapes read. TF.js's Layer constructor takes the input shape from the wrapper
 * (inputShape, batchInputShape; a wrapper's inputDim is ignored), and rejects it on the wrapped layer of a first layer.
 */
const WRAPPER_SHAPE_KEYS = new Set(['mergeMode', 'inputShape', 'batchInputShape']);

/** The layer call inside `tf.layers.bidirectional({layer: tf.layers.lstm({...})})`, if statically visible, with the wrapper's shape keys. */
function wrappedLayer(
  call: ts.CallExpression,
  ctx: EvalContext,
): { call: ts.CallExpression; factory: string; wrapperConfig: Record<string, ConfigValue> } | null {
  const argument = call.arguments[0];
  const literal = argument ? followConst(argument, ctx) : undefined;
  if (!literal || !isObjectLiteralExpression(literal)) return null;
  let inner: ts.CallExpression | null = null;
  const wrapperConfig: Record<string, ConfigValue> = {};
  for (const property of literal.properties) {
    let key: string | null;
    let expression: ts.Expression;
    if (isPropertyAssignment(property)) {
      key = propertyKey(property.name);
      expression = property.initializer;
    } else if (isShorthandPropertyAssignment(property)) {
      key = property.name.text;
      expression = property.name;
    } else continue;
    if (key === 'layer') {
      const value = followConst(expression, ctx);
      if (isCallExpression(value)) inner = value;
    } else if (key !== null && WRAPPER_SHAPE_KEYS.has(key)) setOwn(wrapperConfig, key, evaluate(expression, ctx));
  }
  if (!inner) return null;
  const path = tfPathOf(unwrap(inner.expression), ctx.index);
  const factory = path === null ? null : /^layers\.(\w+)$/.exec(path);
  return factory ? { call: inner, factory: factory[1], wrapperConfig } : null;
}

/** The initializer written for `key`, else the library default. */
function initializerFor(
  key: string,
  written: Map<string, InitializerAttr>,
  type: LayerType,
  collected: CollectedConfig,
  quote: "'" | '"',
): InitializerAttr | undefined {
  return written.get(key) ?? defaultInitializer(key, type, collected.complete, collected.reason, quote);
}

/** Reads a layer factory call (`factory` = 'dense', 'conv2d', ...) under the loop bindings in `ctx`. */
export function readLayerCall(call: ts.CallExpression, factory: string, ctx: EvalContext): LayerDraft {
  const wrapper = wrapperOf(factory);
  if (wrapper) {
    const inner = wrappedLayer(call, ctx);
    if (inner) {
      // The wrapped layer carries the initializers and spans a fix edits; the wrapper only changes the shapes.
      const draft = readLayerCall(inner.call, inner.factory, ctx);
      draft.wrapper = wrapper;
      draft.wrapperConfig = inner.wrapperConfig;
      return draft;
    }
  }
  const file = ctx.index;
  const type = layerTypeOf(factory);
  const collected: CollectedConfig = { entries: new Map(), complete: true };
  const argument = call.arguments[0];
  // Every field a draft may get is declared here, in one order: drafts then share one hidden class that lives as long
  // as this code, rather than a chain of classes added field by field that each garbage collection throws away
  // together with the optimized code that checks them.
  const draft: LayerDraft = {
    type,
    className: factory,
    config: {},
    properties: {},
    span: spanOf(call, file),
    configSpan: undefined,
    insertion: undefined,
    activation: { name: null, explicit: false, source: 'default' },
    kernelInitializer: undefined,
    recurrentInitializer: undefined,
    biasInitializer: undefined,
    repeated: undefined,
    wrapper: undefined,
    wrapperConfig: undefined,
    inner: undefined,
    notes: [],
  };
  if (argument) {
    const literal = unwrap(argument);
    collectEntries(argument, ctx, collected, isObjectLiteralExpression(literal), 0);
    if (isObjectLiteralExpression(literal)) {
      draft.configSpan = spanOf(literal, file);
      draft.insertion = insertionInto(literal, draft.configSpan.start, file);
    }
  } else {
    draft.insertion = { offset: call.arguments.pos, before: '{', after: '}' };
  }
  if (!collected.complete) draft.notes.push(`${factory} config not fully known (${collected.reason ?? 'unresolved'})`);

  const initializers = new Map<string, InitializerAttr>();
  // forEach rather than for-of over entries: no [key, value] pair is allocated per property.
  collected.entries.forEach((entry, key) => {
    if (entry.property && entry.expression) {
      const name =
        isPropertyAssignment(entry.property) || isShorthandPropertyAssignment(entry.property) ? entry.property.name : entry.property;
      // An object literal property starts with its key (no modifiers there), so one trivia skip serves both spans.
      const keySpan = spanOf(name, file);
      const valueSpan = entry.expression === name ? keySpan : spanOf(entry.expression, file);
      setOwn(draft.properties, key, { keySpan, valueSpan, propertySpan: { start: keySpan.start, end: entry.property.end } });
    }
    if (key.endsWith(INITIALIZER_SUFFIX)) {
      const { attr, configValue } = readInitializer(
        key,
        entry,
        ctx,
        entry.property && entry.expression ? ownValue(draft.properties, key) : undefined,
      );
      initializers.set(key, attr);
      setOwn(draft.config, key, configValue);
    } else {
      setOwn(draft.config, key, entry.expression ? evaluate(entry.expression, ctx) : (entry.value ?? null));
    }
  });

  const quote = ctx.index.dominantQuote;
  const kernelKey = kernelKeyOf(type);
  if (kernelKey !== null) draft.kernelInitializer = initializerFor(kernelKey, initializers, type, collected, quote);
  if (type === 'lstm' || type === 'gru' || type === 'simpleRNN')
    draft.recurrentInitializer = initializerFor('recurrentInitializer', initializers, type, collected, quote);
  if ('biasInitializer' in defaultInitializers(type, 'tfjs') && draft.config.useBias !== false)
    draft.biasInitializer = initializerFor('biasInitializer', initializers, type, collected, quote);
  const activationEntry = collected.entries.get('activation');
  const activationSpans = activationEntry?.property && activationEntry.expression ? draft.properties.activation : undefined;
  draft.activation = activationOf(type, factory, draft.config, activationEntry, collected, activationSpans, file);
  return draft;
}
