// A compact JSONC syntax tree built in one jsonc-parser `visit` pass: offsets for every value and key, no per-property nodes.
import { visit, type ParseError, type ParseErrorCode } from 'jsonc-parser';

/** Kind of a JSON value. */
export type JsonNodeType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/**
 * One JSON value with its place in the text. Objects keep their keys in parallel arrays instead of a
 * node per property: model files are mostly small config objects, and this halves what the parse allocates.
 */
export interface JsonNode {
  readonly type: JsonNodeType;
  readonly offset: number;
  /** Characters up to the closing bracket (or, when the text ends first, up to the end of the text). */
  length: number;
  /** The scalar value; undefined for objects and arrays. */
  readonly value: string | number | boolean | null | undefined;
  /** Array items, or an object's property values in text order. */
  readonly children: JsonNode[] | undefined;
  /** Object property keys, parallel to `children`. */
  readonly keys: string[] | undefined;
  /** Object key spans as [offset0, length0, offset1, length1, ...] (lengths include the quotes). */
  readonly keySpans: number[] | undefined;
}

function container(type: 'object' | 'array', offset: number): JsonNode {
  const object = type === 'object';
  return { type, offset, length: -1, value: undefined, children: [], keys: object ? [] : undefined, keySpans: object ? [] : undefined };
}

function scalarType(value: unknown): JsonNodeType {
  switch (typeof value) {
    case 'string': return 'string';
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    default: return 'null';
  }
}

/** Drops a key whose value never came (malformed or cut-off text), so keys and children stay parallel. */
function dropDanglingKey(node: JsonNode): void {
  const keys = node.keys as string[];
  if (keys.length > (node.children as JsonNode[]).length) {
    keys.pop();
    (node.keySpans as number[]).length -= 2;
  }
}

/**
 * Parses JSON with comments and trailing commas as far as it goes; problems go to `errors`.
 * Returns the root value, or undefined when the text holds none.
 */
export function parseJsonTree(text: string, errors: ParseError[]): JsonNode | undefined {
  const stack: JsonNode[] = [];
  let current: JsonNode | undefined;
  let root: JsonNode | undefined;
  const add = (node: JsonNode): void => {
    if (current === undefined) {
      if (root === undefined) root = node;
    } else {
      if (current.type === 'object' && (current.keys as string[]).length === (current.children as JsonNode[]).length) return; // a value without a key
      (current.children as JsonNode[]).push(node);
    }
  };
  const open = (node: JsonNode): void => {
    add(node);
    if (current !== undefined) stack.push(current);
    current = node;
  };
  const close = (offset: number, length: number): void => {
    if (current === undefined) return;
    if (current.type === 'object') dropDanglingKey(current);
    current.length = offset + length - current.offset;
    current = stack.pop();
  };
  visit(text, {
    onObjectBegin: (offset) => open(container('object', offset)),
    onObjectProperty: (name, offset, length) => {
      if (current === undefined || current.type !== 'object') return;
      dropDanglingKey(current);
      (current.keys as string[]).push(name);
      (current.keySpans as number[]).push(offset, length);
    },
    onObjectEnd: close,
    onArrayBegin: (offset) => open(container('array', offset)),
    onArrayEnd: close,
    onLiteralValue: (value, offset, length) => {
      add({ type: scalarType(value), offset, length, value: value as string | number | boolean | null, children: undefined, keys: undefined, keySpans: undefined });
    },
    onError: (error: ParseErrorCode, offset, length) => {
      errors.push({ error, offset, length });
    },
  }, { allowTrailingComma: true, disallowComments: false });
  return root;
}
