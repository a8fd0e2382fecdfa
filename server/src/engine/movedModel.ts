// A model read from one version of a text, carried over to the next version: a deep copy with every offset mapped
// through the edit between the versions. The incremental readers use it to keep what an edit elsewhere did not touch.
import { copyCheck, isChecked } from './configChecks';
import type { InitializerAttr, Layer, Model, Span } from './ir';
import type { EngineDiagnostic, Fix } from './types';

/** Maps an offset of the old text to the new one; undefined when the offset lies inside the changed text. */
export interface OffsetMap {
  (offset: number): number | undefined;
  /** Whether every offset from `min` to `max` maps to itself. */
  keepsAll(min: number, max: number): boolean;
}

/** The offset map of one edit: `[start, oldEnd)` of the old text became `newLength` characters. */
export function offsetMapOf(start: number, oldEnd: number, newLength: number): OffsetMap {
  const delta = start + newLength - oldEnd;
  const map = (offset: number): number | undefined => (offset <= start ? offset : offset >= oldEnd ? offset + delta : undefined);
  return Object.assign(map, { keepsAll: (min: number, max: number) => max <= start || (delta === 0 && min >= oldEnd) });
}

/**
 * The smallest and largest offset a model holds, kept per model object: a keystroke asks it of every model the
 * reader carries over, and most lie wholly before the edit or after an edit that kept the length. Sound as long as
 * no offset outside the range is added to a model after it is first asked: the front ends write offsets while they
 * read, and the config check only records spans the layer already holds (configChecks.ts).
 */
const extents = new WeakMap<Model, { min: number; max: number }>();

function extentOf(model: Model): { min: number; max: number } {
  let extent = extents.get(model);
  if (extent === undefined) {
    const found = { min: Infinity, max: -Infinity };
    everyOffset(model, (offset) => {
      if (offset < found.min) found.min = offset;
      if (offset > found.max) found.max = offset;
      return true;
    });
    extent = found;
    extents.set(model, extent);
  }
  return extent;
}

class Untouchable extends Error {}

// Where the IR keeps offsets, for the check whether an edit moves any (everyOffset). The copy in movedModel names
// them field by field; the test "a moved layer has every field of the IR" holds the two together.
const LAYER_SPANS = ['span', 'configSpan'] as const;
const PROPERTY_SPANS = ['keySpan', 'valueSpan', 'propertySpan'] as const;
const INITIALIZERS = ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'] as const;
const INITIALIZER_SPANS = ['valueSpan', 'propertySpan'] as const;
const OFFSET_HOLDERS = ['insertion', 'initStatement'] as const;

/**
 * A copy of `model` with its spans, insertion points and init-statement offsets mapped; null when one of them lies
 * inside the changed text (then the model must be read again); the model itself when the edit moves none of them
 * (it lies before the edit, or the edit kept the length). The copy shares what nothing changes after a front end
 * made it (scalars, specs' numbers, arrays that are replaced rather than edited), and what the config check edits in
 * place (configs, activation attributes, inbound ids) once that check is done (configChecks.ts checks a model object
 * once). It copies the rest: attributes holding offsets, notes, and an unchecked model's configs.
 *
 * The layer is written out field by field, not spread: a Python keystroke copies every layer after the edit, and
 * copying the bench module's 1,512 layers (six field layouts) took 2.6 ms spread and 0.8 ms written out.
 */
export function movedModel(model: Model, map: OffsetMap): Model | null {
  const extent = extentOf(model);
  if (map.keepsAll(extent.min, extent.max) || everyOffset(model, (offset) => map(offset) === offset)) return model;
  const at = (offset: number): number => {
    const to = map(offset);
    if (to === undefined) throw new Untouchable();
    return to;
  };
  const span = (s: Span): Span => ({ start: at(s.start), end: at(s.end) });
  const initializer = (attr: InitializerAttr): InitializerAttr => {
    const moved = { ...attr };
    if (attr.valueSpan !== undefined) moved.valueSpan = span(attr.valueSpan);
    if (attr.propertySpan !== undefined) moved.propertySpan = span(attr.propertySpan);
    return moved;
  };
  // `checked`: the layer's model was checked, so nothing edits its config, activation or inbound ids in place any
  // more (configChecks.ts); the copy then shares those that hold no offset, as a model the edit did not move is
  // shared whole. An unchecked model's are copied: its check will edit them.
  const layer = (l: Layer, checked: boolean): Layer => {
    const properties: Layer['properties'] = {};
    for (const name in l.properties) {
      const property = l.properties[name];
      properties[name] = {
        keySpan: span(property.keySpan),
        valueSpan: span(property.valueSpan),
        propertySpan: span(property.propertySpan),
      };
    }
    let activation = l.activation;
    if (activation.valueSpan !== undefined || !checked) {
      const { name, explicit, source, valueSpan, alpha } = l.activation;
      activation = { name, explicit, source };
      if (valueSpan !== undefined) activation.valueSpan = span(valueSpan);
      if (alpha !== undefined) activation.alpha = alpha;
    }
    const copy: Layer = {
      id: l.id,
      name: l.name,
      type: l.type,
      className: l.className,
      config: checked ? l.config : { ...l.config },
      activation,
      fanIn: l.fanIn,
      fanOut: l.fanOut,
      outputSize: l.outputSize,
      span: span(l.span),
      properties,
      inbound: checked ? l.inbound : [...l.inbound],
    };
    if (l.outputShape !== undefined) copy.outputShape = l.outputShape;
    if (l.repeated !== undefined) copy.repeated = l.repeated;
    if (l.wrapper !== undefined) copy.wrapper = l.wrapper;
    if (l.configSpan !== undefined) copy.configSpan = span(l.configSpan);
    if (l.insertion !== undefined) {
      const { offset, before, after } = l.insertion;
      copy.insertion = { offset: at(offset), before, after };
    }
    if (l.initStatement !== undefined) {
      const { offset, indent, reference, initModule, lineBreak } = l.initStatement;
      copy.initStatement = { offset: at(offset), indent, reference, initModule, lineBreak };
    }
    if (l.kernelInitializer !== undefined) copy.kernelInitializer = initializer(l.kernelInitializer);
    if (l.recurrentInitializer !== undefined) copy.recurrentInitializer = initializer(l.recurrentInitializer);
    if (l.biasInitializer !== undefined) copy.biasInitializer = initializer(l.biasInitializer);
    if (l.invalidValues) copy.invalidValues = l.invalidValues.map((invalid) => ({ ...invalid, span: span(invalid.span) }));
    if (l.inner) copy.inner = whole(l.inner);
    return copy;
  };
  const whole = (m: Model): Model => {
    const checked = isChecked(m);
    const copy = { ...m, span: span(m.span), layers: m.layers.map((l) => layer(l, checked)), notes: [...m.notes] };
    copyCheck(m, copy);
    return copy;
  };
  try {
    const copy = whole(model);
    // The map keeps the order of the offsets it maps, so the copy's extent is the original's, moved.
    extents.set(copy, { min: at(extent.min), max: at(extent.max) });
    return copy;
  } catch (error) {
    if (error instanceof Untouchable) return null;
    throw error;
  }
}

/**
 * A copy of a diagnostic with its span and its fixes' edits mapped; null when one lies inside the changed text; the
 * diagnostic itself when the edit moves none of them.
 */
export function movedDiagnostic(diagnostic: EngineDiagnostic, map: OffsetMap): EngineDiagnostic | null {
  const still = (s: Span): boolean => map(s.start) === s.start && map(s.end) === s.end;
  const fixStill = (f: Fix | null): boolean => f === null || f.edits.every((edit) => still(edit.span));
  if (still(diagnostic.span) && fixStill(diagnostic.fix) && diagnostic.suggestions.every(fixStill)) return diagnostic;
  const span = (s: Span): Span | null => {
    const [start, end] = [map(s.start), map(s.end)];
    return start === undefined || end === undefined ? null : { start, end };
  };
  const fix = (f: Fix): Fix | null => {
    const edits = f.edits.map((edit) => ({ ...edit, span: span(edit.span) }));
    return edits.every((edit) => edit.span !== null) ? ({ ...f, edits } as Fix) : null;
  };
  const moved = span(diagnostic.span);
  const movedFix = diagnostic.fix === null ? null : fix(diagnostic.fix);
  const suggestions = diagnostic.suggestions.map(fix);
  if (moved === null || (diagnostic.fix !== null && movedFix === null) || suggestions.some((s) => s === null)) return null;
  return { ...diagnostic, span: moved, fix: movedFix, suggestions: suggestions as Fix[] };
}

/** True when `test` holds for every offset of the model (the places listed above, and inner models). */
function everyOffset(model: Model, test: (offset: number) => boolean): boolean {
  const span = (s: Span | undefined): boolean => s === undefined || (test(s.start) && test(s.end));
  const layer = (l: Layer): boolean =>
    LAYER_SPANS.every((key) => span(l[key])) &&
    Object.values(l.properties).every((property) => PROPERTY_SPANS.every((key) => span(property[key]))) &&
    OFFSET_HOLDERS.every((key) => l[key] === undefined || test(l[key].offset)) &&
    span(l.activation.valueSpan) &&
    INITIALIZERS.every((key) => INITIALIZER_SPANS.every((spanKey) => span(l[key]?.[spanKey]))) &&
    (l.invalidValues ?? []).every((invalid) => span(invalid.span)) &&
    (l.inner === undefined || everyOffset(l.inner, test));
  return span(model.span) && model.layers.every(layer);
}
