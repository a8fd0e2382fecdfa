// Library objects built by constructor calls: PyTorch layers and containers (Sequential, ModuleList, ModuleDict),
// Keras layers with the argument spans and insertion point a fix needs, and the names statements give layers.
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue } from '../../ir';
import type { Interpreter } from './interpreter';
import { kerasLayerDraft, kerasLayerParams, type KerasArgument } from './kerasLayers';
import { childNamed, hasError, quoteOf, spanOf } from './syntax';
import { torchLayerDrafts, torchLayerParams, torchLayerSpec } from './torchLayers';
import {
  addNote,
  constValue,
  unreadableReason,
  toConfig,
  type ContainerObject,
  type LayerObject,
  type PyLayerDraft,
  type Scope,
  type Value,
} from './values';

/** A fresh layer object from drafts. */
export function layerObject(drafts: PyLayerDraft[], classPath: string): LayerObject {
  const weightless = drafts.every((d) => !d.kernelInitializer);
  return { drafts, classPath, path: null, weightless };
}

/** Reads Keras arguments bound to parameter names, with the spans a fix needs. */
function kerasArguments(
  call: SyntaxNode,
  className: string,
  it: Interpreter,
  scope: Scope,
): { args: Map<string, KerasArgument>; complete: boolean; unread?: string } {
  const params = kerasLayerParams(className);
  const read = it.argumentsOf(call, scope);
  const args = new Map<string, KerasArgument>();
  const entry = (value: Value, node: SyntaxNode, nameNode?: SyntaxNode): KerasArgument => {
    const argument: KerasArgument = {
      value,
      config: toConfig(value),
      valueSpan: spanOf(node),
      text: it.text(node),
      broken: hasError(node),
    };
    if (nameNode && nameNode !== node) {
      argument.keySpan = spanOf(nameNode);
      argument.propertySpan = { start: nameNode.from, end: node.to };
    }
    if (node.name === 'String') argument.quote = quoteOf(it.source, node);
    return argument;
  };
  read.positional.forEach((item, index) => {
    if (index < params.length) args.set(params[index], entry(item.value, item.node));
  });
  read.keywords.forEach((item, name) => args.set(name, entry(item.value, item.node, item.nameNode)));
  return { args, complete: read.complete, ...(read.unread === undefined ? {} : { unread: read.unread }) };
}

/** Where a keyword argument is inserted into a call: before its closing parenthesis, with the file's separators. */
function insertionOf(call: SyntaxNode, it: Interpreter): PyLayerDraft['insertion'] {
  const argList = childNamed(call, 'ArgList');
  const close = argList?.lastChild;
  if (!argList || close?.name !== ')') return undefined;
  const inner = it.source.text.slice(argList.from + 1, close.from);
  if (inner.trim() === '') return { offset: close.from, before: '', after: '' };
  const trailingComma = /,\s*$/.test(inner);
  const multiLine = /\n/.test(inner);
  if (multiLine) {
    const lastLine = /\n([ \t]*)\S[^\n]*\s*$/.exec(inner);
    const indent = lastLine ? lastLine[1] : '    ';
    const end = argList.from + 1 + inner.replace(/\s*$/, '').length;
    return trailingComma ? { offset: end, before: `\n${indent}`, after: ',' } : { offset: end, before: `,\n${indent}`, after: '' };
  }
  const end = argList.from + 1 + inner.replace(/\s*$/, '').length;
  return trailingComma ? { offset: end, before: ' ', after: '' } : { offset: end, before: ', ', after: '' };
}

/** A torch.nn layer built by a constructor call: drafts from the arguments bound to the class's parameters. */
export function torchLayer(className: string, path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const params = torchLayerParams(className);
  const read = it.argumentsOf(call, scope);
  const args: Record<string, ConfigValue> = {};
  read.positional.forEach((item, index) => {
    if (index < params.length) args[params[index]] = toConfig(item.value);
  });
  read.keywords.forEach((item, name) => {
    args[name] = toConfig(item.value);
  });
  const drafts = torchLayerDrafts(className, args, { span: spanOf(call), properties: {} });
  if (!read.complete) drafts[0].notes.push(`${className}(…) has arguments from a spread model-lint cannot read (${read.unread})`);
  if (torchLayerSpec(className) === undefined)
    drafts[0].notes.push(`layer class 'nn.${className}' is not one model-lint models; the signal is not followed through it`);
  return { kind: 'layer', layer: layerObject(drafts, path) };
}

/** A keras.layers layer built by a constructor call; a Bidirectional / TimeDistributed wrapper marks its inner layer. */
export function kerasLayer(className: string, path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const { args, complete, unread } = kerasArguments(call, className, it, scope);
  const argList = childNamed(call, 'ArgList');
  const base = { span: spanOf(call), ...(argList ? { configSpan: spanOf(argList) } : {}), insertion: insertionOf(call, it) };
  if (className === 'Bidirectional' || className === 'TimeDistributed') {
    const inner = args.get('layer')?.value;
    if (inner?.kind === 'layer') {
      const drafts = inner.layer.drafts.map((d) => ({
        ...d,
        wrapper: className,
        wrapperConfig: { mergeMode: toConfig(args.get('merge_mode')?.value ?? constValue('concat')) },
      }));
      return { kind: 'layer', layer: layerObject(drafts, inner.layer.classPath) };
    }
  }
  const draft = kerasLayerDraft(className, args, base);
  if (!complete) draft.notes.push(`${className}(…) has arguments from a spread model-lint cannot read (${unread})`);
  return { kind: 'layer', layer: layerObject([draft], path) };
}

/** Says which items of a container are not layers model-lint can read (an imported block, a value from run time). */
export function noteUnreadItems(container: ContainerObject, what: string): void {
  for (const item of container.items) {
    if (item.value.kind === 'unknown') addNote(container, `item ${item.name} of ${what}(…) is not read: ${item.value.reason}`);
  }
}

/** The container a torch.nn.Sequential / ModuleList / ModuleDict call builds. */
export function torchContainer(kind: 'Sequential' | 'ModuleList' | 'ModuleDict', call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const read = it.argumentsOf(call, scope);
  const container: ContainerObject = {
    kind: kind === 'Sequential' ? 'sequential' : kind === 'ModuleList' ? 'list' : 'dict',
    framework: 'pytorch',
    items: [],
    span: spanOf(call),
  };
  if (kind === 'Sequential') {
    const first = read.positional[0]?.value;
    if (read.positional.length === 1 && first?.kind === 'dict')
      first.entries.forEach((value, name) => container.items.push({ name, value }));
    else read.positional.forEach((p, index) => container.items.push({ name: String(index), value: p.value }));
  } else if (kind === 'ModuleList') {
    const items = read.positional[0] ? it.iterate(read.positional[0].value) : [];
    (items ?? []).forEach((value, index) => container.items.push({ name: String(index), value }));
    if (items === null)
      addNote(container, `an nn.ModuleList is built from values model-lint cannot know (${unreadableReason(read.positional[0].value)})`);
  } else {
    const first = read.positional[0]?.value;
    if (first?.kind === 'dict') first.entries.forEach((value, name) => container.items.push({ name, value }));
  }
  if (!read.complete) addNote(container, `nn.${kind}(…) has arguments from a spread model-lint cannot read (${read.unread})`);
  noteUnreadItems(container, `nn.${kind}`);
  return { kind: 'container', container };
}

/**
 * Gives every layer in a value assigned by one statement the text that names it there (`self.fc1`, `self.hidden[2]`,
 * `model[0]`) and the statement's end, where a PyTorch init line for it may be inserted. The first name wins.
 */
export function nameLayers(value: Value, reference: string, statementEnd: number, depth = 0): void {
  if (depth > 8) return;
  if (value.kind === 'layer') {
    if (value.layer.statementEnd === undefined) {
      value.layer.statementEnd = statementEnd;
      value.layer.reference = reference;
    }
    return;
  }
  if (value.kind !== 'container' || value.container.framework !== 'pytorch') return;
  for (const item of value.container.items) {
    const key = value.container.kind === 'dict' ? `[${JSON.stringify(item.name)}]` : `[${item.name}]`;
    nameLayers(item.value, `${reference}${key}`, statementEnd, depth + 1);
  }
}
