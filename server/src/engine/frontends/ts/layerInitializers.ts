// Reads a layer's initializer properties (a string id, a `tf.initializers.X(...)` call, an object, a const bound to one)
// and the library default where none is written.
import ts from 'typescript';
import type { ConfigValue, InitializerAttr, LayerType } from '../../ir';
import { isUnknown } from '../../ir';
import { defaultInitializerAttr, initializerAttr, type InitializerPlacement } from '../common';
import { tfPathOf } from './bindings';
import { spanOf, startOf, type ConfigEntry, type PropertySpans, type SpanSource } from './configEntries';
import { evaluate } from './evaluate';
import { excerpt, unknown, unwrap, type EvalContext } from './evalContext';
import { followConst } from './resolve';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { isCallExpression, isNewExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

function hasModifiers(property: ts.ObjectLiteralElementLike): boolean {
  const modifiers = (property as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.length > 0;
}

function quoteOf(node: ts.Node, file: SpanSource, fallback: "'" | '"'): "'" | '"' | '`' {
  return quoteAt(startOf(node, file), file, fallback);
}

function quoteAt(offset: number, file: SpanSource, fallback: "'" | '"'): "'" | '"' | '`' {
  const quote = file.text[offset];
  return quote === "'" || quote === '"' || quote === '`' ? quote : fallback;
}

function objectOf(value: ConfigValue | undefined): Record<string, ConfigValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value) ? value : {};
}

/** Reads an initializer written as a string id, an initializers call, an object, or a const bound to one. */
export function readInitializer(
  key: string,
  entry: ConfigEntry,
  ctx: EvalContext,
  written: PropertySpans | undefined,
): { attr: InitializerAttr; configValue: ConfigValue } {
  const file = ctx.index;
  // Fresh span objects with the values readLayerCall measured for this property: no second trivia skip.
  const valueSpan =
    entry.property && entry.expression && written ? { start: written.valueSpan.start, end: written.valueSpan.end } : undefined;
  // A property with (invalid) modifiers starts before its key, so only then is it measured again.
  const propertySpan =
    valueSpan && written && entry.property
      ? hasModifiers(entry.property)
        ? spanOf(entry.property, file)
        : { start: written.propertySpan.start, end: written.propertySpan.end }
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
    const quoteChar = target === entry.expression && valueSpan ? quoteAt(valueSpan.start, file, quote) : quoteOf(target, file, quote);
    return { attr: initializerAttr(key, target.text, {}, 'tfjs', 'string', placed(quoteChar)), configValue: target.text };
  }
  if (isCallExpression(target) || isNewExpression(target)) {
    const callee = unwrap(target.expression);
    const path = tfPathOf(callee, ctx.index);
    const match = path === null ? null : /^initializers\.(\w+)$/.exec(path);
    if (!match)
      return unknownAttr(`'${excerpt(target, ctx.index)}' is not a TF.js initializer`, 'object', unknown('not a TF.js initializer'));
    const args = target.arguments ?? ts.factory.createNodeArray();
    const config = args.length > 0 ? evaluate(args[0], ctx) : {};
    const name = match[1];
    if (isUnknown(config)) return unknownAttr(`initializer config: ${config.reason}`, 'call', config);
    const calleeText = isPropertyAccessExpression(callee) ? file.text.slice(startOf(callee, file), startOf(callee.name, file)) : '';
    return {
      attr: initializerAttr(key, name, objectOf(config), 'tfjs', 'call', placed(quote, calleeText)),
      configValue: { className: name, config },
    };
  }
  const value = evaluate(target, ctx);
  if (typeof value === 'string') return { attr: initializerAttr(key, value, {}, 'tfjs', 'string', placed(quote)), configValue: value };
  return (
    readInitializerObject(key, value, 'object', spans, quote) ??
    unknownAttr(`initializer '${excerpt(entry.expression, ctx.index)}' is not statically known`, 'object', value)
  );
}

function readInitializerObject(
  key: string,
  value: ConfigValue,
  form: InitializerAttr['form'],
  spans: InitializerPlacement,
  quote: "'" | '"',
): { attr: InitializerAttr; configValue: ConfigValue } | null {
  const object = objectOf(value);
  const className = object.className ?? object.class_name;
  if (typeof className !== 'string') return null;
  const placement: InitializerPlacement = spans.valueSpan ? { valueSpan: spans.valueSpan, propertySpan: spans.propertySpan } : {};
  placement.quote = quote;
  return { attr: initializerAttr(key, className, objectOf(object.config), 'tfjs', form, placement), configValue: value };
}

/** The library default for an initializer key nothing sets: unknown when part of the config could not be read. */
export function defaultInitializer(
  key: string,
  type: LayerType,
  complete: boolean,
  reason: string | undefined,
  quote: "'" | '"',
): InitializerAttr | undefined {
  if (!complete) {
    return {
      key,
      spec: { kind: 'unknown', reason: reason ?? 'config not fully known' },
      explicit: false,
      alias: null,
      form: 'default',
      quote,
    };
  }
  return defaultInitializerAttr(key, type, 'tfjs', { quote });
}
