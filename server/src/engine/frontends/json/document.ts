// One jsonc-parser `visit` pass → plain values (keys already camelCase) plus the text spans of every object and array.
import { visit, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import type { ConfigValue, Span } from '../../ir';
import { setOwn } from '../../ownKeys';
import { blankBeyondMaxDepth, MAX_JSON_DEPTH } from './depth';

/** A JSON object as read, keys in camelCase. */
export type JsonObject = { [key: string]: ConfigValue };

/** Where an object or array sits in the text. */
export interface ContainerSpans {
  offset: number;
  /** Characters up to the closing bracket (or, when the text ends first, up to where reading stopped). */
  length: number;
  /** Objects: the keys in text order (camelCase, repeats kept), one per property; undefined for arrays. */
  keys: string[] | undefined;
  /** Objects: [keyOffset, keyLength, valueOffset, valueLength] per key; arrays: [valueOffset, valueLength] per item. */
  items: number[];
}

/** A parsed JSON(C) text: its root value and the spans of its containers. */
export interface JsonDocument {
  root: ConfigValue | undefined;
  spans: Map<object, ContainerSpans>;
  errors: ParseError[];
  /** Offset of the first container nested deeper than MAX_JSON_DEPTH (it and its contents were not read). */
  tooDeepAt?: number;
}

const camelCache = new Map<string, string>();

/** snake_case → camelCase ('kernel_initializer' → 'kernelInitializer'); other keys unchanged. */
export function camelCaseKey(key: string): string {
  if (key.indexOf('_') < 0) return key; // cheaper than hashing a fresh string for the cache
  let camel = camelCache.get(key);
  if (camel === undefined) {
    camel = key.replace(/_+([a-zA-Z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    if (camelCache.size < 10_000) camelCache.set(key, camel);
  }
  return camel;
}

/** camelCase → snake_case, the key spelling of every model JSON dialect ('kernelInitializer' → 'kernel_initializer'). */
export function snakeCaseKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => '_' + letter.toLowerCase());
}

interface Frame {
  value: JsonObject | ConfigValue[];
  isObject: boolean;
  /** The container's spans when they go into the table (see `isTracked`), else undefined. */
  spans: ContainerSpans | undefined;
  /** Objects: the key read last, waiting for its value. */
  pendingKey: string | undefined;
}

/** Keys under which a tracked container's child is tracked too: the path from the root to layers and their configs. */
const TRACKED_KEYS = new Set(['config', 'layer', 'layers', 'modelTopology', 'modelConfig']);

/** Root keys of model files whose content no analysis reads (camelCase). */
const SKIPPED_ROOT_KEYS = new Set(['weightsManifest']);

/**
 * Only containers on the way to layer configs are looked up later (model objects, layer lists, layers, configs,
 * wrapped layers). Initializer objects, inbound nodes, weight manifests and shapes skip the span table: most of a
 * large model file is made of them.
 */
function isTracked(parent: Frame | undefined): boolean {
  if (parent === undefined) return true;
  if (parent.spans === undefined) return false;
  if (!parent.isObject) return true; // an element of a tracked list (a layer)
  return parent.pendingKey !== undefined && TRACKED_KEYS.has(parent.pendingKey);
}

/**
 * Parses JSON with comments and trailing commas as far as it goes (problems go to `errors`). Values are
 * built directly, as jsonc-parser's `parse` does, so a layer's config needs no second copy; spans live in a side table.
 */
export function parseJsonDocument(text: string): JsonDocument {
  try {
    return readJsonDocument(text);
  } catch (error) {
    // jsonc-parser recurses once per level: text nested thousands deep overflows the stack before our cap can act.
    if (!(error instanceof RangeError)) throw error;
    return readJsonDocument(blankBeyondMaxDepth(text));
  }
}

function readJsonDocument(text: string): JsonDocument {
  const spans = new Map<object, ContainerSpans>();
  const errors: ParseError[] = [];
  const stack: Frame[] = [];
  let frame: Frame | undefined;
  let root: ConfigValue | undefined;
  // Containers that could not be attached (a value without a key) are read but not kept.
  let skippedDepth = 0;
  let tooDeepAt: number | undefined;

  const addValue = (value: ConfigValue, offset: number, length: number): boolean => {
    if (frame === undefined) {
      if (root !== undefined) return false;
      root = value;
      return true;
    }
    if (frame.isObject) {
      const key = frame.pendingKey;
      if (key === undefined) return false; // a value without a key (malformed)
      setOwn(frame.value as JsonObject, key, value);
      frame.pendingKey = undefined;
    } else {
      (frame.value as ConfigValue[]).push(value);
    }
    if (frame.spans !== undefined) frame.spans.items.push(offset, length);
    return true;
  };
  const dropPendingKey = (current: Frame): void => {
    if (current.pendingKey === undefined) return;
    if (current.spans !== undefined) {
      (current.spans.keys as string[]).pop();
      current.spans.items.length -= 2;
    }
    current.pendingKey = undefined;
  };
  const open = (value: JsonObject | ConfigValue[], isObject: boolean, offset: number): boolean => {
    if (skippedDepth > 0) {
      skippedDepth++;
      return true;
    }
    // A TF.js model.json lists every weight tensor at the root; nothing reads it, so the parser skips it unbuilt.
    if (frame !== undefined && stack.length === 0 && frame.pendingKey !== undefined && SKIPPED_ROOT_KEYS.has(frame.pendingKey)) {
      skippedDepth = 1;
      return false; // tells jsonc-parser not to report anything inside; only the matching end comes
    }
    if (stack.length + (frame === undefined ? 0 : 1) >= MAX_JSON_DEPTH) {
      tooDeepAt ??= offset;
      skippedDepth = 1;
      return false;
    }
    const containerSpans: ContainerSpans | undefined = isTracked(frame)
      ? { offset, length: -1, keys: isObject ? [] : undefined, items: [] }
      : undefined;
    if (!addValue(value, offset, -1)) {
      skippedDepth = 1;
      return true;
    }
    if (containerSpans !== undefined) spans.set(value, containerSpans);
    if (frame !== undefined) stack.push(frame);
    frame = { value, isObject, spans: containerSpans, pendingKey: undefined };
    return true;
  };
  const close = (offset: number, length: number): void => {
    if (skippedDepth > 0) {
      skippedDepth--;
      return;
    }
    if (frame === undefined) return;
    dropPendingKey(frame);
    const end = offset + length;
    if (frame.spans !== undefined) frame.spans.length = end - frame.spans.offset;
    frame = stack.pop();
    const items = frame?.spans?.items;
    if (items !== undefined) items[items.length - 1] = end - items[items.length - 2];
  };

  visit(
    text,
    {
      onObjectBegin: (offset) => open({}, true, offset),
      onObjectProperty: (name, offset, length) => {
        if (skippedDepth > 0 || frame === undefined || !frame.isObject) return;
        dropPendingKey(frame);
        const key = camelCaseKey(name);
        if (frame.spans !== undefined) {
          (frame.spans.keys as string[]).push(key);
          frame.spans.items.push(offset, length);
        }
        frame.pendingKey = key;
      },
      onObjectEnd: close,
      onArrayBegin: (offset) => open([], false, offset),
      onArrayEnd: close,
      onLiteralValue: (value, offset, length) => {
        if (skippedDepth === 0) addValue(value as ConfigValue, offset, length);
      },
      onError: (error: ParseErrorCode, offset, length) => {
        errors.push({ error, offset, length });
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return tooDeepAt === undefined ? { root, spans, errors } : { root, spans, errors, tooDeepAt };
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: ConfigValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object under `key`, if it is one. */
export function objectAt(value: ConfigValue | undefined, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** The array under `key`, if it is one. */
export function arrayAt(value: ConfigValue | undefined, key: string): ConfigValue[] | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return Array.isArray(child) ? child : undefined;
}

/** The string under `key`, if it is one. */
export function stringAt(value: ConfigValue | undefined, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'string' ? child : undefined;
}

/** The span of a whole container. */
export function containerSpan(spans: ContainerSpans): Span {
  return { start: spans.offset, end: spans.offset + spans.length };
}

/** Index (into keys) of the last occurrence of `key` in an object's spans, or -1. */
export function keyIndex(spans: ContainerSpans, key: string): number {
  const keys = spans.keys;
  if (keys === undefined) return -1;
  for (let i = keys.length - 1; i >= 0; i--) if (keys[i] === key) return i;
  return -1;
}

/** The span of the value of the property at `index` of an object. */
export function valueSpanAt(spans: ContainerSpans, index: number): Span {
  const start = spans.items[4 * index + 2];
  return { start, end: start + spans.items[4 * index + 3] };
}

/**
 * True when a container was closed in the text. When the text ends early the parser still ends the
 * container, at the last token it read: then the closing bracket is missing, or the one seen belongs to its last child.
 */
export function isClosed(text: string, spans: ContainerSpans): boolean {
  const end = spans.offset + spans.length;
  const closing = spans.keys === undefined ? 93 /* ] */ : 125; /* } */
  if (spans.length < 2 || text.charCodeAt(end - 1) !== closing) return false;
  const items = spans.items;
  if (items.length === 0) return true;
  return items[items.length - 2] + items[items.length - 1] < end;
}
