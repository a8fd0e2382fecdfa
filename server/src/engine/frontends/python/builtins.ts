// Python's builtins as model code uses them (range, len, isinstance, enumerate, zip, …) and collections.OrderedDict,
// on values the reader knows; anything else stays unknown.
import type { SyntaxNode } from '@lezer/common';
import type { Interpreter } from './interpreter';
import { MAX_UNROLL } from './readerState';
import { constValue, numberOf, unknownValue, type Scope, type Value } from './values';

/** isinstance(value, classes): decided for layers and the file's instances; undefined when unknown. */
function isInstance(value: Value, classes: Value): boolean | undefined {
  const options = classes.kind === 'list' ? classes.items : [classes];
  let result = false;
  for (const option of options) {
    if (option.kind === 'path') {
      if (value.kind === 'layer')
        result ||= value.layer.classPath === option.path || option.path === 'torch.nn.Module' || option.path === 'keras.layers.Layer';
      else if (value.kind === 'instance' || value.kind === 'container')
        result ||= option.path === 'torch.nn.Module' || option.path === 'keras.layers.Layer' || option.path === 'keras.Model';
      else if (value.kind === 'const')
        result ||=
          option.path === 'int' || option.path === 'float'
            ? typeof value.value === 'number'
            : option.path === 'str'
              ? typeof value.value === 'string'
              : false;
      else return undefined;
    } else if (option.kind === 'class') {
      if (value.kind === 'instance') {
        const queue = [value.instance.cls];
        while (queue.length > 0) {
          const cls = queue.shift()!;
          if (cls === option.cls) result = true;
          queue.push(...cls.bases);
        }
      } else if (value.kind !== 'layer' && value.kind !== 'container') return undefined;
    } else return undefined;
  }
  return result;
}

export function builtin(path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value | undefined {
  const read = (): ReturnType<Interpreter['argumentsOf']> => it.argumentsOf(call, scope);
  switch (path) {
    case 'range': {
      const numbers = read().positional.map((p) => numberOf(p.value));
      if (numbers.length === 0 || numbers.some((n) => n === null)) return unknownValue('range() bounds not known statically');
      const [start, stop, step] = numbers.length === 1 ? [0, numbers[0]!, 1] : [numbers[0]!, numbers[1]!, numbers[2] ?? 1];
      if (step === 0) return unknownValue('range() step 0');
      const items: Value[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        items.push(constValue(i));
        if (items.length > MAX_UNROLL * 4) break;
      }
      return { kind: 'list', items };
    }
    case 'len': {
      const value = read().positional[0]?.value;
      const items = value ? it.iterate(value) : null;
      return items === null ? unknownValue('len() of a value model-lint cannot know') : constValue(items.length);
    }
    case 'isinstance': {
      const [value, classes] = read().positional.map((p) => p.value);
      if (!value || !classes) return unknownValue('isinstance() without two arguments');
      const decided = isInstance(value, classes);
      return decided === undefined ? unknownValue('isinstance() of a value model-lint cannot know') : constValue(decided);
    }
    case 'type': {
      const value = read().positional[0]?.value;
      if (value?.kind === 'layer') return { kind: 'path', path: value.layer.classPath };
      if (value?.kind === 'instance') return { kind: 'class', cls: value.instance.cls };
      return unknownValue('type() of a value model-lint cannot know');
    }
    case 'list':
    case 'tuple':
    case 'reversed': {
      const value = read().positional[0]?.value;
      if (!value) return { kind: 'list', items: [] };
      const items = it.iterate(value);
      if (items === null) return unknownValue(`${path}() of a value model-lint cannot know`);
      return { kind: 'list', items: path === 'reversed' ? items.slice().reverse() : items };
    }
    case 'dict': {
      const args = read();
      return { kind: 'dict', entries: new Map([...args.keywords].map(([k, v]) => [k, v.value])) };
    }
    case 'enumerate': {
      const value = read().positional[0]?.value;
      const items = value ? it.iterate(value) : null;
      return items === null
        ? unknownValue('enumerate() of a value model-lint cannot know')
        : { kind: 'list', items: items.map((item, i) => ({ kind: 'list', items: [constValue(i), item] }) as Value) };
    }
    case 'zip': {
      const lists = read().positional.map((p) => it.iterate(p.value));
      if (lists.some((l) => l === null)) return unknownValue('zip() of values model-lint cannot know');
      const length = Math.min(...lists.map((l) => l!.length));
      return { kind: 'list', items: Array.from({ length }, (_, i) => ({ kind: 'list', items: lists.map((l) => l![i]) }) as Value) };
    }
    case 'int':
    case 'float':
    case 'abs':
    case 'round': {
      const n = numberOf(read().positional[0]?.value);
      if (n === null) return unknownValue(`${path}() of a value model-lint cannot know`);
      return constValue(path === 'int' ? Math.trunc(n) : path === 'abs' ? Math.abs(n) : path === 'round' ? Math.round(n) : n);
    }
    case 'min':
    case 'max': {
      const numbers = read().positional.map((p) => numberOf(p.value));
      if (numbers.length === 0 || numbers.some((n) => n === null)) return unknownValue(`${path}() of values model-lint cannot know`);
      return constValue(path === 'min' ? Math.min(...(numbers as number[])) : Math.max(...(numbers as number[])));
    }
    case 'str':
    case 'print':
    case 'super':
    case 'getattr':
    case 'hasattr':
    case 'setattr':
    case 'bool':
    case 'sum':
      return unknownValue(`${path}() is not followed`);
    case 'collections.OrderedDict': {
      const args = read();
      const entries = new Map<string, Value>();
      const pairs = args.positional[0] ? it.iterate(args.positional[0].value) : [];
      for (const pair of pairs ?? []) {
        // A half-typed pair ('fc1', ) has no value yet: it is skipped.
        if (pair.kind === 'list' && pair.items.length === 2 && pair.items[0].kind === 'const' && typeof pair.items[0].value === 'string')
          entries.set(pair.items[0].value, pair.items[1]);
      }
      args.keywords.forEach((v, k) => entries.set(k, v.value));
      return { kind: 'dict', entries };
    }
    default:
      return undefined;
  }
}
