// Top-level statements the definition cache may carry over: `name = Model(...)`, where Model is one of the file's
// classes or functions (a notebook cell that builds a model, a script's `model = Net()`), and compound statements
// (`if __name__ == '__main__':`, a loop over models). Such a statement's models depend on the module-level names it
// reads, so it is carried over when each of them is bound as before (the same definition text at the same place, the
// same import, the same constant) and the file's imports are the same; the names it binds then stand for values that
// may only be shown (`print(model)`, a notebook's bare `model` line).
import type { SyntaxNode } from '@lezer/common';
import type { Interpreter } from './interpreter';
import { childrenOf } from './syntax';
import type { ClassInfo, Value } from './values';

/** Compound statements a script builds models in: `if __name__ == '__main__':`, a loop over model classes. */
const COMPOUND = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'WithStatement', 'TryStatement']);

/**
 * True for a top-level statement whose reading may be carried over: `name = callee(...)` where callee is one of the
 * file's functions or model classes, or a compound statement (`if __name__ == '__main__':`, a loop).
 */
export function isReusable(it: Interpreter, statement: SyntaxNode): boolean {
  if (COMPOUND.has(statement.name)) return true;
  if (statement.name !== 'AssignStatement') return false;
  const [target, op, value, ...rest] = childrenOf(statement);
  if (rest.length > 0 || target?.name !== 'VariableName' || op?.name !== 'AssignOp' || value?.name !== 'CallExpression') return false;
  const callee = value.firstChild;
  if (callee?.name !== 'VariableName') return false;
  const bound = it.globals.names.get(it.text(callee));
  return bound?.kind === 'function' || (bound?.kind === 'class' && bound.cls.framework !== null);
}

/** The file's top-level statements that import (their text): what the `nn.init` spelling and the library paths come from. */
export function importsOf(it: Interpreter, statements: SyntaxNode[]): string {
  return statements
    .filter((statement) => statement.name !== 'FunctionDefinition' && statement.name !== 'ClassDefinition')
    .map((statement) => it.text(statement))
    .filter((text) => text.includes('import'))
    .join('\n');
}

/** The end of the definition a module-level name is bound to (a class with its bases); 0 for other values. */
export function definitionEnd(value: Value | undefined): number {
  if (value?.kind === 'function') return value.fn.node.to;
  if (value?.kind === 'class') return classEnd(value.cls);
  return 0;
}

function classEnd(cls: ClassInfo): number {
  return cls.bases.reduce((end, base) => Math.max(end, classEnd(base)), cls.node.to);
}

/**
 * What a module-level name is bound to, in words that stay the same while the binding means the same: null for a
 * value whose meaning the words cannot hold (then the statement that read it is not carried over).
 */
export function bindingSignature(it: Interpreter, value: Value | undefined): string | null {
  if (value === undefined) return 'unbound';
  // A value belongs to one read of one version: its signature is made once and the string shared by every reading.
  let signature = signatures.get(value);
  if (signature === undefined) signatures.set(value, (signature = signatureOf(it, value)));
  return signature;
}

const signatures = new WeakMap<Value, string | null>();

function signatureOf(it: Interpreter, value: Value): string | null {
  switch (value.kind) {
    case 'path':
      return `path ${value.path}`;
    case 'const':
      return typeof value.value === 'object' && value.value !== null ? null : `const ${JSON.stringify(value.value)}`;
    case 'unknown':
      return it.carried.has(value) ? null : `unknown ${value.reason}`;
    case 'function':
      return value.fn.closure === it.globals && value.fn.self === undefined ? `function ${definitionKey(it, value.fn.node)}` : null;
    case 'class':
      return `class ${classKey(it, value.cls)}`;
    default:
      return null;
  }
}

function classKey(it: Interpreter, cls: ClassInfo): string {
  return [definitionKey(it, cls.node), ...cls.bases.map((base) => classKey(it, base))].join('\u0001');
}

function definitionKey(it: Interpreter, node: SyntaxNode): string {
  return `${it.placeOf(node.from)}\u0000${it.text(node)}`;
}
