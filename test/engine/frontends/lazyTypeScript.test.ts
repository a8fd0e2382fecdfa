// TypeScript's compiler is loaded only when a TS/JS text that may hold a model is analysed: JSON-only work never pays for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../server/src/engine/analyze';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from '../../../server/src/lsp/documents';

const typeScriptLoaded = (): boolean => Object.keys(require.cache).some((path) => /[\\/]node_modules[\\/]typescript[\\/]/.test(path));

test('the engine and the server cache load TypeScript on the first TS/JS model text, not before', () => {
  assert.equal(typeScriptLoaded(), false, 'importing the engine and the server cache does not load it');
  const json = readFileSync(join(__dirname, '../../../../examples/keras-cnn.json'), 'utf8');
  assert.ok(analyze(json, 'keras-cnn.json').models.length > 0);
  const cache = new AnalysisCache((message) => assert.fail(message));
  const plainCode = TextDocument.create('file:///project/plain.ts', 'typescript', 1, 'export const answer = 42;\n');
  assert.equal(cache.get(plainCode, {}).state, 'ok');
  assert.equal(typeScriptLoaded(), false, 'JSON and TS without TF.js do not load it');
  const model =
    "import * as tf from '@tensorflow/tfjs';\nexport const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [8] })] });\n";
  assert.equal(analyze(model, 'model.ts').models.length, 1);
  assert.equal(typeScriptLoaded(), true, 'a TF.js model text loads it');
});
