// A model read from one version of a text, carried over to the next version: a deep copy with every offset mapped
// through the edit between the versions. The incremental readers use it to keep what an edit elsewhere did not touch.
import { copyCheck } from './configChecks';
import type { InitializerAttr, Layer, Model, Span } from './ir';
import type { EngineDiagnostic, Fix } from './types';

/** Maps an offset of the old text to the new one; undefined when the offset lies inside the changed text. */
export type OffsetMap = (offset: number) => number | undefined;

/** The offset map of one edit: `[start, oldEnd)` of the old text became `newLength` characters. */
export function offsetMapOf(start: number, oldEnd: number, newLength: number): OffsetMap {
  const delta = start + newLength - oldEnd;
  return (offset) => (offset <= start ? offset : offset >= oldEnd ? offset + delta : undefined);
}

class Untouchable extends Error {}

// Where the IR keeps offsets, written once for the copy and the check below: a new offset field goes here.
const LAYER_SPANS = ['span', 'configSpan'] as const;
const PROPERTY_SPANS = ['keySpan', 'valueSpan', 'propertySpan'] as const;
const INITIALIZERS = ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'] as const;
const INITIALIZER_SPANS = ['valueSpan', 'propertySpan'] as const;
const OFFSET_HOLDERS = ['insertion', 'initStatement'] as const;

/**
 * A copy of `model` with its spans, insertion points and init-statement offsets mapped; null when one of them lies
 * inside the changed text (then the model must be read again); the model itself when the edit moves none of them
 * (it lies before the edit, or the edit kept the length). The copy shares what nothing changes after a front end
 * made it (scalars, specs' numbers, arrays that are replaced rather than edited) and copies what analysis edits in
 * place (configs, initializer and activation attributes, notes; see configChecks.ts, whose check of a model is done
 * once per model object).
 */
export function movedModel(model: Model, map: OffsetMap): Model | null {
  if (everyOffset(model, (offset) => map(offset) === offset)) return model;
  const at = (offset: number): number => {
    const to = map(offset);
    if (to === undefined) throw new Untouchable();
    return to;
  };
  const span = (s: Span): Span => ({ start: at(s.start), end: at(s.end) });
  const layer = (l: Layer): Layer => {
    const copy: Layer = { ...l, config: { ...l.config }, activation: { ...l.activation }, inbound: [...l.inbound], properties: {} };
    for (const key of LAYER_SPANS) if (l[key]) copy[key] = span(l[key]);
    for (const [name, property] of Object.entries(l.properties)) {
      const moved = { ...property };
      for (const key of PROPERTY_SPANS) moved[key] = span(property[key]);
      copy.properties[name] = moved;
    }
    for (const key of OFFSET_HOLDERS) {
      const holder = l[key];
      if (holder) Object.assign(copy, { [key]: { ...holder, offset: at(holder.offset) } });
    }
    if (l.activation.valueSpan) copy.activation.valueSpan = span(l.activation.valueSpan);
    for (const key of INITIALIZERS) {
      const attr = l[key];
      if (!attr) continue;
      const moved: InitializerAttr = { ...attr };
      for (const spanKey of INITIALIZER_SPANS) if (attr[spanKey]) moved[spanKey] = span(attr[spanKey]);
      copy[key] = moved;
    }
    if (l.invalidValues) copy.invalidValues = l.invalidValues.map((invalid) => ({ ...invalid, span: span(invalid.span) }));
    if (l.inner) copy.inner = whole(l.inner);
    return copy;
  };
  const whole = (m: Model): Model => {
    const copy = { ...m, span: span(m.span), layers: m.layers.map(layer), notes: [...m.notes] };
    copyCheck(m, copy);
    return copy;
  };
  try {
    return whole(model);
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
