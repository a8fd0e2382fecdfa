// Test of the spans' shortcut: startOf is where getStart says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { startOf } from '../../../../server/src/engine/frontends/ts/configEntries';
import { scriptKindOf } from '../../../../server/src/engine/frontends/ts';

const EXAMPLES = join(__dirname, '../../../../../examples');

/** Every kind the shortcut reads itself, in ordinary and unusual forms, and syntax the parser recovers from. */
const SNIPPETS: [string, string][] = [
  [
    'model.ts',
    `#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs';
export const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, 'inputShape': [2], 3: x!, ...rest } as any)] });
declare const y: number;
let z!: number;
const w: Array<number> = [1, , ...others, /* c */ 2];
const q = a?.b?.c?.(1)?.[2] ?? new Foo<string>(1, 2).bar<number>(3);
function f(this: any, { a, b: [c] }: any, ...d: number[]) { return; }
function g() { return /* why */ tf.input({ shape: [3] }) satisfies unknown; }
const bad = { a?: 1, b!: 2, async c: 3, get: 1, set, [k]: v };
\u00a0const nbsp = 'non-breaking space before';
<<<<<<< HEAD
const conflict = 1;
=======
const conflict = 2;
>>>>>>> branch
/** doc */ const documented = 1; // trailing
`,
  ],
  ['half.ts', `const model = tf.sequential({ layers: [tf.layers.dense({ units: , activation: 're`],
  ['view.tsx', `const view = <div a={1}>text {tf.layers.dense({ units: 2 })} more</div>;`],
];

function sources(): [string, string][] {
  const files = readdirSync(EXAMPLES)
    .filter((name) => /\.(ts|js)$/.test(name))
    .map((name): [string, string] => [name, readFileSync(join(EXAMPLES, name), 'utf8')]);
  return [...SNIPPETS, ...files];
}

function everyNode(sourceFile: ts.SourceFile, each: (node: ts.Node) => void): void {
  const visit = (node: ts.Node): void => {
    each(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

test('startOf gives getStart for every node (comments, conflict markers, non-ASCII space, JSX text, shebang)', () => {
  for (const [name, text] of sources()) {
    const sourceFile = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, scriptKindOf(name));
    everyNode(sourceFile, (node) => {
      assert.equal(
        startOf(node, { text: sourceFile.text, sourceFile }),
        node.getStart(sourceFile),
        `${name}: ${ts.SyntaxKind[node.kind]} at ${node.pos}`,
      );
    });
  }
});
