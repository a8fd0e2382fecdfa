// When an initializer stays unknown the probe trains the library default in its place: the text report, the HTML
// report and the CLI's layer table say so next to that layer, not only in a notes list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProbeRequest } from '../../server/src/probe/runner';
import { reportText } from '../../server/src/probe/format';
import { reportHtml } from '../../server/src/probe/html';
import { runCli, temporaryFolder } from '../helpers/runCli';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEXT = `import * as tf from '@tensorflow/tfjs';
let scale = 1;
const makeInit = (s) => tf.initializers.randomNormal({ stddev: s });
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: scale }) }),
    tf.layers.dense({ units: 2, kernelInitializer: makeInit(2) }),
  ],
});
`;

test('the probe report marks the layer whose initializer it could not read', async () => {
  const report = await runProbeRequest({
    text: TEXT,
    fileName: 'unknown-init.ts',
    backend: 'cpu',
    options: { steps: 2, batchSize: 4 } as never,
  });
  const [model] = report.models;
  assert.ok(model && !model.error, model?.error);
  const first = model.layers[0]!;
  assert.match(first.initializerUnknown ?? '', /kernelInitializer: stddev unknown; 0.05 was used/);
  const second = model.layers[1]!;
  assert.match(second.initializerUnknown ?? '', /kernelInitializer: initializer unknown \(.*\); the library default glorotNormal was used/);
  const text = reportText(report, 'unknown-init.ts');
  assert.match(text, new RegExp(`^  ${second.name} \\(!\\) `, 'm'), text);
  assert.match(text, new RegExp(`^  \\(!\\) ${second.name}: initializer unknown: .*kernelInitializer: initializer unknown`, 'm'), text);
  const html = reportHtml(report, 'unknown-init.ts');
  assert.match(html, /<td>[^<]*<strong class="error"[^>]*>\(initializer unknown: [^<]*kernelInitializer: initializer unknown/);
});

test('the CLI layer table says UNKNOWN for an initializer it could not read', () => {
  const folder = temporaryFolder('model-lint-unknown-init-');
  try {
    writeFileSync(join(folder, 'model.ts'), TEXT);
    const run = runCli(['lint', 'model.ts', '--summary', '--exit-zero'], folder);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /UNKNOWN \(not read; the probe would use the default\)/, run.stdout);
    assert.match(run.stdout, /randomNormal\(stddev \?\) \(stddev UNKNOWN; the probe would use the default\)/, run.stdout);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
