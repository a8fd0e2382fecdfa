// Mutations of the project's own examples and fixtures, and deep-nesting stress inputs, for the fuzzer.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HOSTILE_NUMBERS, PROTOTYPE_KEYS, type Random } from './random';

/** A file the mutations start from. */
export interface SeedFile {
  path: string;
  fileName: string;
  text: string;
}

const MODEL_FILE = /\.(ts|js|mjs|cjs|json|py)$/;

function collect(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? collect(full) : MODEL_FILE.test(name) ? [full] : [];
    })
    .sort();
}

/** Every example and test fixture the engine reads (not the fuzzer's own regressions). */
export function seedFiles(root: string): SeedFile[] {
  const files = [...collect(join(root, 'examples')), ...collect(join(root, 'test', 'fixtures'))];
  return files.map((path) => ({
    path: relative(root, path).split('\\').join('/'),
    fileName: path.split(/[\\/]/).pop() as string,
    text: readFileSync(path, 'utf8'),
  }));
}

/** Identifiers, numbers, strings, punctuation runs and whitespace: the units of token swaps and deletions. */
const TOKEN = /[A-Za-z_$][\w$]*|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\s+|./g;

function tokens(text: string): { start: number; end: number; value: string }[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, value: m[0] }));
}

function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

type Mutation = (text: string, r: Random) => string;

const MUTATIONS: Record<string, Mutation> = {
  'token swap'(text, r) {
    const solid = tokens(text).filter((t) => !/^\s+$/.test(t.value));
    if (solid.length < 2) return text;
    let [a, b] = [r.pick(solid), r.pick(solid)];
    if (a.start > b.start) [a, b] = [b, a];
    if (a.start === b.start) return text;
    return text.slice(0, a.start) + b.value + text.slice(a.end, b.start) + a.value + text.slice(b.end);
  },
  'token deletion'(text, r) {
    const all = tokens(text);
    if (all.length === 0) return text;
    const t = r.pick(all);
    return replaceRange(text, t.start, t.end, '');
  },
  'line deletion'(text, r) {
    const lines = text.split('\n');
    lines.splice(r.int(0, lines.length - 1), r.int(1, 3));
    return lines.join('\n');
  },
  'line duplication'(text, r) {
    const lines = text.split('\n');
    const at = r.int(0, lines.length - 1);
    lines.splice(at, 0, lines[at]);
    return lines.join('\n');
  },
  truncation(text, r) {
    return text.slice(0, r.int(0, text.length));
  },
  crlf: (text) => text.replace(/\r?\n/g, '\r\n'),
  cr: (text) => text.replace(/\r?\n/g, '\r'),
  bom: (text) => `\uFEFF${text}`,
  tabs: (text) => text.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2)),
  'number swap'(text, r) {
    const numbers = tokens(text).filter((t) => /^-?\d/.test(t.value));
    if (numbers.length === 0) return text;
    const t = r.pick(numbers);
    return replaceRange(text, t.start, t.end, r.pick(HOSTILE_NUMBERS));
  },
  'prototype-key name'(text, r) {
    const candidates = tokens(text).filter(
      (t) => /^['"][A-Za-z_]\w*['"]$/.test(t.value) || (/^[A-Za-z_]\w*$/.test(t.value) && r.chance(0.2)),
    );
    if (candidates.length === 0) return text;
    const t = r.pick(candidates);
    const key = r.pick(PROTOTYPE_KEYS);
    return replaceRange(text, t.start, t.end, /^['"]/.test(t.value) ? `${t.value[0]}${key}${t.value[0]}` : key);
  },
  'comment insertion'(text, r) {
    const lines = text.split('\n');
    lines.splice(r.int(0, lines.length), 0, r.pick(['// a comment', '/* block */', '// model-lint-disable-next-line', '']));
    return lines.join('\n');
  },
};

/** The names of the mutations, for reports. */
export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One to three mutations of a seed file; returns the text and the names of the mutations applied. */
export function mutateSeed(seed: SeedFile, r: Random): { text: string; applied: string[] } {
  let text = seed.text;
  const applied: string[] = [];
  for (let i = r.int(1, 3); i > 0; i--) {
    const name = r.pick(MUTATION_NAMES);
    text = MUTATIONS[name](text, r);
    applied.push(name);
  }
  return { text, applied };
}

/** Inputs deeper or longer than any written by hand: nesting and long expressions the walkers must survive. */
export function deepInput(r: Random): { text: string; fileName: string; label: string } {
  const depth = r.pick([1000, 5000, 10000]);
  switch (r.int(0, 4)) {
    case 0:
      return { text: `${'['.repeat(depth)}${']'.repeat(depth)}`, fileName: 'model.json', label: `JSON arrays nested ${depth} deep` };
    case 1:
      return { text: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, fileName: 'model.json', label: `JSON objects nested ${depth} deep` };
    case 2: {
      const wrapped = `${'{"class_name":"TimeDistributed","config":{"layer":'.repeat(depth)}{"class_name":"Dense","config":{"units":4}}${'}}'.repeat(depth)}`;
      return {
        text: `{"class_name":"Sequential","config":{"layers":[${wrapped}]}}`,
        fileName: 'model.json',
        label: `TimeDistributed wrapped ${depth} deep`,
      };
    }
    case 3:
      return {
        text: `import * as tf from '@tensorflow/tfjs';\nconst a = 1;\nconst units = ${Array(depth).fill('a').join(' + ')};\nexport const m = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [4] })] });\n`,
        fileName: 'deep.ts',
        label: `TS expression of ${depth} terms`,
      };
    default:
      return {
        text: `import * as tf from '@tensorflow/tfjs';\nexport const m = tf.sequential({ layers: [tf.layers.dense({ units: ${'('.repeat(depth)}4${')'.repeat(depth)}, inputShape: [4] })] });\n`,
        fileName: 'deep.ts',
        label: `TS parentheses nested ${depth} deep`,
      };
  }
}
