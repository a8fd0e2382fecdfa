// Shared fix builders: write an initializer or a config property back in the file's own form, quotes and JSON dialect.
import { VARIANCE_SCALING_ALIASES } from './catalog/names';
import type { Dialect, InitializerAttr, Layer, Span } from './ir';
import type { Fix, TextEdit } from './types';

/** Initializers a fix may write: parameterless library aliases, so no numbers are invented. */
export type FixInitializerId = 'glorotNormal' | 'glorotUniform' | 'heNormal' | 'heUniform' | 'leCunNormal' | 'leCunUniform' | 'orthogonal';

/** Which syntax a fix writes. */
export type FixLanguage = 'typescript' | 'json' | 'python';

const KERAS_STRING: Record<FixInitializerId, string> = {
  glorotNormal: 'glorot_normal',
  glorotUniform: 'glorot_uniform',
  heNormal: 'he_normal',
  heUniform: 'he_uniform',
  leCunNormal: 'lecun_normal',
  leCunUniform: 'lecun_uniform',
  orthogonal: 'orthogonal',
};

const KERAS_CLASS: Record<FixInitializerId, string> = {
  glorotNormal: 'GlorotNormal',
  glorotUniform: 'GlorotUniform',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  leCunNormal: 'LecunNormal',
  leCunUniform: 'LecunUniform',
  orthogonal: 'Orthogonal',
};

/** The Keras Python string id of an initializer a fix writes ('he_normal'). */
export function kerasInitializerString(id: FixInitializerId): string {
  return KERAS_STRING[id];
}

/** The torch.nn.init function (and extra arguments) that draws like an initializer a fix writes. */
export function torchInitCall(id: FixInitializerId): { fn: string; args: string } {
  switch (id) {
    case 'heNormal':
      return { fn: 'kaiming_normal_', args: ', nonlinearity="relu"' };
    case 'heUniform':
      return { fn: 'kaiming_uniform_', args: ', nonlinearity="relu"' };
    case 'leCunNormal':
      return { fn: 'kaiming_normal_', args: ', nonlinearity="linear"' };
    case 'leCunUniform':
      return { fn: 'kaiming_uniform_', args: ', nonlinearity="linear"' };
    case 'glorotNormal':
      return { fn: 'xavier_normal_', args: '' };
    case 'glorotUniform':
      return { fn: 'xavier_uniform_', args: '' };
    case 'orthogonal':
      return { fn: 'orthogonal_', args: '' };
  }
}

/** The quote character a Python file uses most for strings (double quotes, the formatters' choice, when it has none). */
function pythonQuote(text: string): "'" | '"' {
  // Every fix of a file asks: the answer for the last text is kept.
  if (lastQuoted.text === text) return lastQuoted.quote;
  const quote = moreFrequentQuote(text, '"');
  lastQuoted.text = text;
  lastQuoted.quote = quote;
  return quote;
}

const lastQuoted: { text: string | null; quote: "'" | '"' } = { text: null, quote: '"' };

/**
 * What of the whole file the fixes of one model depend on: the quotes they write strings in, which an edit anywhere in
 * the file can change. An analysis of a model carried over from an earlier version holds only while this is the same.
 */
export function fixStyleOf(text: string): string {
  return `${fileQuote(text)}${pythonQuote(text)}`;
}

/** A torch.nn.init call on a tensor, in the file's quotes: `nn.init.kaiming_normal_(self.fc.weight, nonlinearity='relu')`. */
function torchInitText(id: FixInitializerId, initModule: string, tensor: string, text: string): string {
  const call = torchInitCall(id);
  const quote = pythonQuote(text);
  return `${initModule}${call.fn}(${tensor}${call.args.replace(/"/g, quote)})`;
}

/**
 * The Python edit that sets an initializer: Keras changes or adds `kernel_initializer=`; PyTorch changes the nn.init
 * call (or in-place method) that set it. A PyTorch default has nothing written to change: see torchInitInsertion.
 */
function pythonInitializerEdit(target: FixTarget, layer: Layer, attr: InitializerAttr, id: FixInitializerId): TextEdit | null {
  if (target.dialect === 'pytorch') {
    if (!attr.explicit || !attr.valueSpan || attr.target === undefined) return null;
    // torch-init: the call's own callee; torch-method: the nn.init spelling the file's imports allow.
    const initModule = attr.callee ?? layer.initStatement?.initModule ?? 'torch.nn.init.';
    return { span: attr.valueSpan, text: torchInitText(id, initModule, attr.target, target.text) };
  }
  const quote = attr.quote ?? pythonQuote(target.text);
  if (attr.explicit && attr.valueSpan) {
    const seed = attr.form === 'python-call' ? pythonSeedArgumentOf(target.text.slice(attr.valueSpan.start, attr.valueSpan.end)) : null;
    const text =
      attr.form === 'python-call' && attr.callee !== undefined
        ? `${attr.callee}${KERAS_CLASS[id]}(${seed ?? ''})`
        : `${quote}${KERAS_STRING[id]}${quote}`;
    return { span: attr.valueSpan, text };
  }
  if (attr.explicit) return null;
  return insertPropertyEdit(target, layer, attr.key, `${quote}${KERAS_STRING[id]}${quote}`);
}

/**
 * For a PyTorch kernel left at its default: a line after the statement that assigned the layer, calling the init
 * (`nn.init.kaiming_normal_(self.fc1.weight, nonlinearity="relu")`). A suggestion, never a safe fix: it changes training.
 */
export function torchInitInsertion(target: FixTarget, layer: Layer, id: FixInitializerId): TextEdit | null {
  const at = layer.initStatement;
  if (!at || target.dialect !== 'pytorch' || (layer.type !== 'dense' && !layer.type.startsWith('conv'))) return null;
  const line = torchInitText(id, at.initModule, `${at.reference}.weight`, target.text);
  return { span: { start: at.offset, end: at.offset }, text: `${at.lineBreak}${at.indent}${line}` };
}

/** The quote character the file uses for strings: from its first import/require, else the more frequent of ' and ". */
export function fileQuote(text: string): "'" | '"' {
  const module = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*)(['"])/.exec(text);
  if (module) return module[1] as "'" | '"';
  return moreFrequentQuote(text, "'");
}

/** The more frequent of ' and " in a text; `tie` when they are as frequent. */
function moreFrequentQuote(text: string, tie: "'" | '"'): "'" | '"' {
  const single = occurrences(text, "'");
  const double = occurrences(text, '"');
  return single === double ? tie : single > double ? "'" : '"';
}

/** How often a character occurs in a text (the native search jumps from one to the next). */
function occurrences(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at >= 0; at = text.indexOf(character, at + 1)) count++;
  return count;
}

/** True when the JSON text is written without spaces after colons (as TF.js's model.json is). */
export function isCompactJson(text: string): boolean {
  return !/"\s*:\s/.test(text.slice(0, 4000)) && /":\S/.test(text.slice(0, 4000));
}

/** snake_case of a camelCase config key, as Keras and TF.js JSON write it. */
export function snakeCaseKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A JSON value written on one line, spaced like `{"a": 1, "b": 2}` or compact like `{"a":1,"b":2}`. */
export function inlineJson(value: unknown, compact: boolean): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const [colon, comma] = compact ? [':', ','] : [': ', ', '];
  if (Array.isArray(value)) return `[${value.map((v) => inlineJson(v, compact)).join(comma)}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}${colon}${inlineJson(v, compact)}`);
  return `{${entries.join(comma)}}`;
}

/** The JSON object (or Keras string) that names an initializer in a dialect. */
export function jsonInitializerValue(id: FixInitializerId, dialect: Dialect, asString: boolean): unknown {
  if (asString && dialect !== 'tfjs') return KERAS_STRING[id];
  if (dialect === 'tfjs') {
    // TF.js serializes the named variance-scaling initializers as VarianceScaling with snake_case modes.
    const scaling = VARIANCE_SCALING_ALIASES[id];
    if (id === 'orthogonal' || !scaling) return { class_name: 'Orthogonal', config: { gain: 1, seed: null } };
    return {
      class_name: 'VarianceScaling',
      config: { scale: scaling.scale, mode: snakeCaseKey(scaling.mode), distribution: scaling.distribution, seed: null },
    };
  }
  const config = id === 'orthogonal' ? { gain: 1, seed: null } : { seed: null };
  if (dialect === 'keras3') return { module: 'keras.initializers', class_name: KERAS_CLASS[id], config, registered_name: null };
  return { class_name: KERAS_CLASS[id], config };
}

/** The `seed=` keyword argument of a Keras Python initializer call (`seed=1`, `seed=SEED`), or null when none is written. */
export function pythonSeedArgumentOf(callText: string): string | null {
  const match = /[(,]\s*seed\s*=\s*([^,()]+?)\s*(?=[,)])/.exec(callText);
  return match ? `seed=${match[1]}` : null;
}

/** The seed argument text of an initializer call (`seed: 1` or shorthand `seed`), or null when none is written. */
export function seedArgumentOf(callText: string): string | null {
  const valued = /[{,]\s*seed\s*:\s*([^,}]+?)\s*(?=[,}])/.exec(callText);
  if (valued) return `seed: ${valued[1]}`;
  if (/[{,]\s*seed\s*(?=[,}])/.test(callText)) return 'seed';
  return null;
}

/** TS/JS text of an initializer in the written form of `attr` (string id, call with the same callee and seed, or string for objects). */
export function typescriptInitializerText(id: FixInitializerId, attr: InitializerAttr | undefined, text: string): string {
  if (attr?.explicit && attr.form === 'call' && attr.valueSpan) {
    const callText = text.slice(attr.valueSpan.start, attr.valueSpan.end);
    const seed = seedArgumentOf(callText);
    // TF.js's initializer factories take a required args object, so an empty one is written when there is no seed.
    if (!seed) return `${attr.callee ?? ''}${id}({})`;
    const padding = /\(\{\s/.test(callText) ? ' ' : '';
    return `${attr.callee ?? ''}${id}({${padding}${seed}${padding}})`;
  }
  const quote = attr?.quote ?? fileQuote(text);
  return `${quote}${id}${quote}`;
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** A JSON value laid out over several lines like the value it replaces: same base indentation, same indent step. */
export function multiLineJson(value: unknown, original: string, baseIndent: string): string {
  const innerIndent = /\n([ \t]*)\S/.exec(original)?.[1] ?? `${baseIndent}  `;
  const step = innerIndent.startsWith(baseIndent) && innerIndent.length > baseIndent.length ? innerIndent.slice(baseIndent.length) : '  ';
  return JSON.stringify(value, null, step)
    .split('\n')
    .map((line, i) => (i === 0 ? line : baseIndent + line))
    .join('\n');
}

/**
 * JSON text of an initializer for the model's dialect, keeping a Keras string form and the file's spacing;
 * a replaced value that spanned several lines is written over several lines with the same indentation.
 */
export function jsonInitializerText(id: FixInitializerId, attr: InitializerAttr | undefined, dialect: Dialect, text: string): string {
  const value = jsonInitializerValue(id, dialect, attr?.form === 'json-string');
  if (attr?.explicit && attr.valueSpan && typeof value === 'object') {
    const original = text.slice(attr.valueSpan.start, attr.valueSpan.end);
    if (original.includes('\n')) return multiLineJson(value, original, lineIndent(text, attr.valueSpan.start));
  }
  return inlineJson(value, isCompactJson(text));
}

/** Everything a fix builder needs to know about the file. */
export interface FixTarget {
  text: string;
  language: FixLanguage;
  dialect: Dialect;
}

/** An edit that inserts `key: value` (TS) or `"key": value` (JSON) at the layer's insertion point; null when the config is not editable. */
export function insertPropertyEdit(target: FixTarget, layer: Layer, camelKey: string, valueText: string): TextEdit | null {
  if (!layer.insertion) return null;
  const { offset, before, after } = layer.insertion;
  const json = target.language === 'json';
  if (target.language === 'python')
    return { span: { start: offset, end: offset }, text: `${before}${snakeCaseKey(camelKey)}=${valueText}${after}` };
  const key = json ? JSON.stringify(snakeCaseKey(camelKey)) : camelKey;
  const colon = json && isCompactJson(target.text) ? ':' : ': ';
  return { span: { start: offset, end: offset }, text: `${before}${key}${colon}${valueText}${after}` };
}

/** The edit that sets a layer's initializer attribute to `id`: replace the written value, or insert the attribute when absent. */
export function initializerEdit(target: FixTarget, layer: Layer, attr: InitializerAttr, id: FixInitializerId): TextEdit | null {
  if (target.language === 'python') return pythonInitializerEdit(target, layer, attr, id);
  const valueText =
    target.language === 'json'
      ? jsonInitializerText(id, attr, target.dialect, target.text)
      : typescriptInitializerText(id, attr, target.text);
  if (attr.explicit && attr.valueSpan) return { span: attr.valueSpan, text: valueText };
  if (attr.explicit) return null; // written but without a span: nothing safe to edit
  return insertPropertyEdit(target, layer, attr.key, valueText);
}

/** A fix that sets a layer's initializer to `id`, with a title naming the layer and the reason; null when no edit is possible. */
export function initializerFix(target: FixTarget, layer: Layer, attr: InitializerAttr, id: FixInitializerId, reason: string): Fix | null {
  if (target.language === 'python' && target.dialect === 'pytorch' && !attr.explicit) {
    const insertion = attr.key === 'kernelInitializer' ? torchInitInsertion(target, layer, id) : null;
    const call = torchInitCall(id);
    return insertion === null
      ? null
      : {
          title: `Initialize layer '${layer.name}' with nn.init.${call.fn}${reason ? ` ${reason}` : ''}`,
          edits: [insertion],
          isSuggestion: true,
        };
  }
  const edit = initializerEdit(target, layer, attr, id);
  if (!edit) return null;
  if (target.language === 'python') {
    const word = target.dialect === 'pytorch' ? `nn.init.${torchInitCall(id).fn}` : KERAS_STRING[id];
    return { title: `Use ${word}${reason ? ` ${reason}` : ''} for layer '${layer.name}'`, edits: [edit] };
  }
  return { title: `Use ${id}${reason ? ` ${reason}` : ''} for layer '${layer.name}'`, edits: [edit] };
}

/** A fix that replaces one span with new text. */
export function replaceFix(title: string, span: Span, text: string): Fix {
  return { title, edits: [{ span, text }] };
}
