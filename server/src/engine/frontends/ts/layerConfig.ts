// Reads one `tf.layers.X({...})` call: config values, property spans, initializers, activation and insertion point.
import ts from 'typescript';
import type { ActivationAttr, ConfigValue, InitializerAttr, InsertionPoint, LayerType, Model, Span } from '../../ir';
import { isUnknown } from '../../ir';
import { activationIdOf, layerTypeOf } from '../../catalog/names';
import { defaultActivation, defaultInitializers, kernelKeyOf } from '../../catalog/layerDefaults';
import { defaultInitializerAttr, impliedActivation, initializerAttr, type InitializerPlacement } from '../common';
import { tfPathOf } from './bindings';
import { evaluate, excerpt, followConst, propertyKey, unknown, unwrap, type EvalContext } from './evaluate';
import { ownValue, setOwn } from '../../ownKeys';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { isCallExpression, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike } = ts;

/** Spans of one property written in the call's own object literal. */
type PropertySpans = { keySpan: Span; valueSpan: Span; propertySpan: Span };

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

/** One config key's source: the expression written for it, or a value already folded (from a spread of a value). */
interface ConfigEntry {
  expression?: ts.Expression;
  value?: ConfigValue;
  /** The property node when written in the call's own object literal (so it has editable spans). */
  property?: ts.ObjectLiteralElementLike;
}

interface CollectedConfig {
  entries: Map<string, ConfigEntry>;
  /** False when part of the config could not be read (unknown spread or variable): absent keys are then unknown too. */
  complete: boolean;
  reason?: string;
}

function hasModifiers(property: ts.ObjectLiteralElementLike): boolean {
  const modifiers = (property as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.length > 0;
}

function spanOf(node: ts.Node, sourceFile: ts.SourceFile): Span {
  return { start: node.getStart(sourceFile), end: node.end };
}

function collectValue(value: ConfigValue, into: CollectedConfig, what: string): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value)) {
    for (const [key, item] of Object.entries(value)) into.entries.set(key, { value: item });
  } else {
    into.complete = false;
    into.reason = isUnknown(value) ? `${what}: ${value.reason}` : `${what} is not an object`;
  }
}

function collectEntries(expr: ts.Expression, ctx: EvalContext, into: CollectedConfig, own: boolean, depth: number): void {
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
function insertionInto(literal: ts.ObjectLiteralExpression, literalStart: number, sourceFile: ts.SourceFile): InsertionPoint | undefined {
  const text = sourceFile.text;
  // A half-typed config (not closed, or cut inside a string): an inserted property would land in the broken part.
  if (text.charCodeAt(literal.end - 1) !== 125 /* } */) return undefined;
  const properties = literal.properties;
  if (properties.length === 0) {
    const open = literalStart + 1;
    return { offset: open, before: '', after: '' };
  }
  const last = properties[properties.length - 1];
  const lastStart = last.getStart(sourceFile);
  // Scanning back to the line start is cheaper than computing the file's line map on every keystroke.
  let lineStart = lastStart;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  if (lineStart <= literalStart) return { offset: last.end, before: ', ', after: '' };
  let indentEnd = lineStart;
  while (indentEnd < lastStart && (text[indentEnd] === ' ' || text[indentEnd] === '\t')) indentEnd++;
  const newline = lineStart >= 2 && text.charCodeAt(lineStart - 2) === 13 ? '\r\n' : '\n';
  return { offset: last.end, before: `,${newline}${text.slice(lineStart, indentEnd)}`, after: '' };
}

function quoteOf(node: ts.Node, sourceFile: ts.SourceFile, fallback: "'" | '"'): "'" | '"' | '`' {
  return quoteAt(node.getStart(sourceFile), sourceFile, fallback);
}

function quoteAt(offset: number, sourceFile: ts.SourceFile, fallback: "'" | '"'): "'" | '"' | '`' {
  const quote = sourceFile.text[offset];
  return quote === "'" || quote === '"' || quote === '`' ? quote : fallback;
}

function objectOf(value: ConfigValue | undefined): Record<string, ConfigValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value) ? value : {};
}

/** Reads an initializer written as a string id, an initializers call, an object, or a const bound to one. */
function readInitializer(key: string, entry: ConfigEntry, ctx: EvalContext, written: PropertySpans | undefined): { attr: InitializerAttr; configValue: ConfigValue } {
  const sourceFile = ctx.index.sourceFile;
  // Fresh span objects with the values readLayerCall measured for this property: no second trivia skip.
  const valueSpan = entry.property && entry.expression && written ? { start: written.valueSpan.start, end: written.valueSpan.end } : undefined;
  // A property with (invalid) modifiers starts before its key, so only then is it measured again.
  const propertySpan = valueSpan && written && entry.property
    ? (hasModifiers(entry.property) ? spanOf(entry.property, sourceFile) : { start: written.propertySpan.start, end: written.propertySpan.end })
    : undefined;
  const spans: InitializerPlacement = valueSpan && propertySpan ? { valueSpan, propertySpan } : {};
  const quote = ctx.index.dominantQuote;
  // Placements are built field by field, not spread from `spans`: this runs for every written initializer.
  const placed = (quoteChar: InitializerAttr['quote'], callee?: string): InitializerPlacement => {
    const placement: InitializerPlacement = valueSpan ? { valueSpan, propertySpan: spans.propertySpan } : {};
    if (callee !== undefined) placement.callee = callee;
    placement.quote = quoteChar;
    return placement;
  };
  const unknownAttr = (reason: string, form: InitializerAttr['form'], configValue: ConfigValue) => {
    const attr: InitializerAttr = { key, spec: { kind: 'unknown' as const, reason }, explicit: true, alias: null, form };
    if (valueSpan) {
      attr.valueSpan = valueSpan;
      attr.propertySpan = spans.propertySpan;
    }
    attr.quote = quote;
    return { attr, configValue };
  };
  if (!entry.expression) {
    const value = entry.value ?? null;
    if (typeof value === 'string') return { attr: initializerAttr(key, value, {}, 'tfjs', 'string', { quote }), configValue: value };
    return readInitializerObject(key, value, 'object', spans, quote) ?? unknownAttr('initializer is not statically known', 'object', value);
  }
  const target = followConst(entry.expression, ctx);
  if (isStringLiteralLike(target)) {
    // A literal written in place starts where its value span does: no second trivia skip for its quote.
    const quoteChar = target === entry.expression && valueSpan ? quoteAt(valueSpan.start, sourceFile, quote) : quoteOf(target, sourceFile, quote);
    return { attr: initializerAttr(key, target.text, {}, 'tfjs', 'string', placed(quoteChar)), configValue: target.text };
  }
  if (isCallExpression(target) || isNewExpression(target)) {
    const callee = unwrap(target.expression);
    const path = tfPathOf(callee, ctx.index);
    const match = path === null ? null : /^initializers\.(\w+)$/.exec(path);
    if (!match) return unknownAttr(`'${excerpt(target, ctx.index)}' is not a TF.js initializer`, 'object', unknown('not a TF.js initializer'));
    const args = target.arguments ?? ts.factory.createNodeArray();
    const config = args.length > 0 ? evaluate(args[0], ctx) : {};
    const name = match[1];
    if (isUnknown(config)) return unknownAttr(`initializer config: ${config.reason}`, 'call', config);
    const calleeText = isPropertyAccessExpression(callee)
      ? sourceFile.text.slice(callee.getStart(sourceFile), callee.name.getStart(sourceFile))
      : '';
    return {
      attr: initializerAttr(key, name, objectOf(config), 'tfjs', 'call', placed(quote, calleeText)),
      configValue: { className: name, config },
    };
  }
  const value = evaluate(target, ctx);
  if (typeof value === 'string') return { attr: initializerAttr(key, value, {}, 'tfjs', 'string', placed(quote)), configValue: value };
  return readInitializerObject(key, value, 'object', spans, quote)
    ?? unknownAttr(`initializer '${excerpt(entry.expression, ctx.index)}' is not statically known`, 'object', value);
}

function readInitializerObject(key: string, value: ConfigValue, form: InitializerAttr['form'], spans: InitializerPlacement,
  quote: "'" | '"'): { attr: InitializerAttr; configValue: ConfigValue } | null {
  const object = objectOf(value);
  const className = object.className ?? object.class_name;
  if (typeof className !== 'string') return null;
  const placement: InitializerPlacement = spans.valueSpan ? { valueSpan: spans.valueSpan, propertySpan: spans.propertySpan } : {};
  placement.quote = quote;
  return { attr: initializerAttr(key, className, objectOf(object.config), 'tfjs', form, placement), configValue: value };
}

function defaultInitializer(key: string, type: LayerType, complete: boolean, reason: string | undefined, quote: "'" | '"'): InitializerAttr | undefined {
  if (!complete) {
    return { key, spec: { kind: 'unknown', reason: reason ?? 'config not fully known' }, explicit: false, alias: null, form: 'default', quote };
  }
  return defaultInitializerAttr(key, type, 'tfjs', { quote });
}

function activationOf(type: LayerType, className: string, config: Record<string, ConfigValue>, entry: ConfigEntry | undefined,
  collected: CollectedConfig, written: PropertySpans | undefined, sourceFile: ts.SourceFile): ActivationAttr {
  const implied = impliedActivation(className, config);
  if (implied !== null) return { ...implied, explicit: true, source: 'own' };
  if (entry || 'activation' in config) {
    const value = config.activation;
    const attr: ActivationAttr = { name: typeof value === 'string' ? activationIdOf(value) : null, explicit: true, source: 'own' };
    if (entry?.property && entry.expression) {
      attr.valueSpan = written ? { start: written.valueSpan.start, end: written.valueSpan.end } : spanOf(entry.expression, sourceFile);
    }
    return attr;
  }
  if (!collected.complete && (type === 'activation' || defaultActivation(type) !== null)) return { name: null, explicit: false, source: 'default' };
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
function wrappedLayer(call: ts.CallExpression, ctx: EvalContext): { call: ts.CallExpression; factory: string; wrapperConfig: Record<string, ConfigValue> } | null {
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
  const sourceFile = ctx.index.sourceFile;
  const type = layerTypeOf(factory);
  const collected: CollectedConfig = { entries: new Map(), complete: true };
  const argument = call.arguments[0];
  const draft: LayerDraft = {
    type, className: factory, config: {}, properties: {}, span: spanOf(call, sourceFile),
    activation: { name: null, explicit: false, source: 'default' }, notes: [],
  };
  if (argument) {
    const literal = unwrap(argument);
    collectEntries(argument, ctx, collected, isObjectLiteralExpression(literal), 0);
    if (isObjectLiteralExpression(literal)) {
      draft.configSpan = spanOf(literal, sourceFile);
      draft.insertion = insertionInto(literal, draft.configSpan.start, sourceFile);
    }
  } else {
    draft.insertion = { offset: call.arguments.pos, before: '{', after: '}' };
  }
  if (!collected.complete) draft.notes.push(`${factory} config not fully known (${collected.reason ?? 'unresolved'})`);

  const initializers = new Map<string, InitializerAttr>();
  // forEach rather than for-of over entries: no [key, value] pair is allocated per property.
  collected.entries.forEach((entry, key) => {
    if (entry.property && entry.expression) {
      const name = isPropertyAssignment(entry.property) || isShorthandPropertyAssignment(entry.property) ? entry.property.name : entry.property;
      // An object literal property starts with its key (no modifiers there), so one trivia skip serves both spans.
      const keySpan = spanOf(name, sourceFile);
      const valueSpan = entry.expression === name ? keySpan : spanOf(entry.expression, sourceFile);
      setOwn(draft.properties, key, { keySpan, valueSpan, propertySpan: { start: keySpan.start, end: entry.property.end } });
    }
    if (key.endsWith(INITIALIZER_SUFFIX)) {
      const { attr, configValue } = readInitializer(key, entry, ctx, entry.property && entry.expression ? ownValue(draft.properties, key) : undefined);
      initializers.set(key, attr);
      setOwn(draft.config, key, configValue);
    } else {
      setOwn(draft.config, key, entry.expression ? evaluate(entry.expression, ctx) : entry.value ?? null);
    }
  });

  const quote = ctx.index.dominantQuote;
  const attrFor = (key: string | null): InitializerAttr | undefined =>
    key === null ? undefined : initializers.get(key) ?? defaultInitializer(key, type, collected.complete, collected.reason, quote);
  draft.kernelInitializer = attrFor(kernelKeyOf(type));
  if (type === 'lstm' || type === 'gru' || type === 'simpleRNN') draft.recurrentInitializer = attrFor('recurrentInitializer');
  if ('biasInitializer' in defaultInitializers(type, 'tfjs') && draft.config.useBias !== false) draft.biasInitializer = attrFor('biasInitializer');
  const activationEntry = collected.entries.get('activation');
  const activationSpans = activationEntry?.property && activationEntry.expression ? draft.properties.activation : undefined;
  draft.activation = activationOf(type, factory, draft.config, activationEntry, collected, activationSpans, sourceFile);
  return draft;
}
