// Helpers shared by the TS/JS front-end tests: parsing snippets, picking the one model, slicing spans, editing code.
import assert from 'node:assert/strict';
import ts from 'typescript';
import { parseTypeScript } from '../../../../server/src/engine/frontends/ts';
import type { Layer, Model, ParseResult, Span } from '../../../../server/src/engine/ir';

export const IMPORT = "import * as tf from '@tensorflow/tfjs';\n";

export function parse(code: string, fileName = 'model.ts'): ParseResult {
  return parseTypeScript(code, fileName);
}

export function onlyModel(code: string, fileName = 'model.ts'): Model {
  const result = parse(code, fileName);
  assert.equal(result.models.length, 1, `expected one model, got ${result.models.map((m) => m.name).join(', ')}`);
  return result.models[0];
}

export function slice(code: string, span: Span | undefined): string {
  assert.ok(span, 'span missing');
  return code.slice(span.start, span.end);
}

export function syntaxErrors(code: string): string[] {
  const file = ts.createSourceFile('check.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

export function insert(code: string, layer: Layer, property: string): string {
  assert.ok(layer.insertion, 'insertion point missing');
  const { offset, before, after } = layer.insertion;
  return code.slice(0, offset) + before + property + after + code.slice(offset);
}

export const seq = (...layers: string[]) =>
  `${IMPORT}const model = tf.sequential({\n  layers: [\n${layers.map((l) => `    ${l},`).join('\n')}\n  ],\n});\n`;

/** [type, units, activation] of each layer: enough to tell which branch was read. */
export const layerSummary = (model: Model): [string, unknown, string | null][] =>
  model.layers.map((l) => [l.type, l.config.units ?? null, l.activation.name]);

/** The note a model gets when it depends on a condition the analysis cannot evaluate. */
export const conditionNotes = (model: Model): string[] => model.notes.filter((note) => note.includes('cannot evaluate'));

export const branching = (condition: string, header = '') => `${IMPORT}${header}function build() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4], activation: 'relu'}));
  if (${condition}) {
    model.add(tf.layers.dense({units: 8, activation: 'relu'}));
  } else {
    model.add(tf.layers.dense({units: 4, activation: 'tanh'}));
  }
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;
