// Helpers over jsonc-parser syntax trees: property lookup, spans, completeness and values with camelCase keys.
import type { Node } from 'jsonc-parser';
import type { ConfigValue, Span } from '../../ir';

/** The half-open span of a syntax node. */
export function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** The value node of `key` in an object node (the last one when a key repeats, as JSON.parse does). */
export function valueOf(objectNode: Node | undefined, key: string): Node | undefined {
  if (objectNode === undefined || objectNode.type !== 'object' || objectNode.children === undefined) return undefined;
  let found: Node | undefined;
  for (const property of objectNode.children) {
    const children = property.children;
    if (children !== undefined && children.length === 2 && children[0].value === key) found = children[1];
  }
  return found;
}

/** The string value of `key`, or undefined when absent or not a string. */
export function stringOf(objectNode: Node | undefined, key: string): string | undefined {
  const node = valueOf(objectNode, key);
  return node !== undefined && node.type === 'string' ? (node.value as string) : undefined;
}

/** The object value of `key`, or undefined when absent or not an object. */
export function objectOf(objectNode: Node | undefined, key: string): Node | undefined {
  const node = valueOf(objectNode, key);
  return node !== undefined && node.type === 'object' ? node : undefined;
}

/** The array value of `key`, or undefined when absent or not an array. */
export function arrayOf(objectNode: Node | undefined, key: string): Node | undefined {
  const node = valueOf(objectNode, key);
  return node !== undefined && node.type === 'array' ? node : undefined;
}

/** True when `key` is written in the object (whatever its value). */
export function hasKey(objectNode: Node | undefined, key: string): boolean {
  return valueOf(objectNode, key) !== undefined;
}

/**
 * True when an object or array node was closed in the text. The parser recovers from truncation by ending
 * a node at the last token it read, so an unclosed node either does not end with its closing bracket or ends
 * exactly where its last child ends (the bracket seen belongs to the child).
 */
export function isClosed(text: string, node: Node): boolean {
  const end = node.offset + node.length;
  const closing = node.type === 'object' ? 125 /* } */ : node.type === 'array' ? 93 /* ] */ : -1;
  if (closing === -1) return true;
  if (node.length < 2 || text.charCodeAt(end - 1) !== closing) return false;
  const children = node.children;
  if (children === undefined || children.length === 0) return true;
  const last = children[children.length - 1];
  return last.offset + last.length < end;
}

const camelCache = new Map<string, string>();

/** snake_case → camelCase ('kernel_initializer' → 'kernelInitializer'); other keys unchanged. */
export function camelCaseKey(key: string): string {
  let camel = camelCache.get(key);
  if (camel === undefined) {
    camel = key.indexOf('_') < 0 ? key : key.replace(/_+([a-zA-Z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    if (camelCache.size < 10_000) camelCache.set(key, camel);
  }
  return camel;
}

/** camelCase → snake_case, the key spelling of every model JSON dialect ('kernelInitializer' → 'kernel_initializer'). */
export function snakeCaseKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => '_' + letter.toLowerCase());
}

/** The value of a node as a ConfigValue, object keys converted to camelCase; broken parts become unknown. */
export function configValueOf(node: Node): ConfigValue {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value as string | boolean;
    case 'number':
      return Number.isFinite(node.value) ? (node.value as number) : { kind: 'unknown', reason: 'not a finite number' };
    case 'null':
      return null;
    case 'array': {
      const children = node.children ?? [];
      const values: ConfigValue[] = new Array(children.length);
      for (let i = 0; i < children.length; i++) values[i] = configValueOf(children[i]);
      return values;
    }
    case 'object': {
      const result: Record<string, ConfigValue> = {};
      for (const property of node.children ?? []) {
        const children = property.children;
        if (children === undefined || children.length < 2) continue; // a key without a value (malformed)
        result[camelCaseKey(children[0].value as string)] = configValueOf(children[1]);
      }
      return result;
    }
    default:
      return { kind: 'unknown', reason: 'malformed JSON value' };
  }
}
