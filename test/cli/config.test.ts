// The CLI with .modellintrc.json: nearest file applies, --config overrides it, --rule beats both, invalid config exits 2.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonFileReport } from '../../server/src/cli/report';
import { runCli, temporaryFolder } from '../helpers/runCli';

const MODEL = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', kernelInitializer: 'zeros' }));
model.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal' }));
model.add(tf.layers.dense({ units: 1 }));
`;

const root = temporaryFolder();
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'strict', 'sub'), { recursive: true });
mkdirSync(join(root, 'relaxed'), { recursive: true });
writeFileSync(join(root, 'strict', 'sub', 'model.ts'), MODEL);
writeFileSync(join(root, 'relaxed', 'model.ts'), MODEL);
writeFileSync(join(root, '.modellintrc.json'), '{ "rules": { "symmetric-init": "warning" } }');
writeFileSync(
  join(root, 'relaxed', '.modellintrc.json'),
  '{\n  // this folder holds experiments\n  "rules": { "symmetric-init": "off" },\n}\n',
);
writeFileSync(join(root, 'other.json'), '{ "rules": { "symmetric-init": "info" } }');

function severities(stdout: string): Record<string, string | undefined> {
  const reports = JSON.parse(stdout) as JsonFileReport[];
  return Object.fromEntries(
    reports
      .filter((report) => report.filePath.endsWith('.ts'))
      .map((report) => [
        report.filePath
          .slice(root.length + 1)
          .split('\\')
          .join('/'),
        report.diagnostics.find((d) => d.ruleId === 'symmetric-init')?.severity,
      ]),
  );
}

test('each file uses the nearest .modellintrc.json; config files themselves are not linted', () => {
  const run = runCli(['lint', '--format', 'json', '.'], root);
  assert.equal(run.code, 0, run.stderr);
  const checked = (JSON.parse(run.stdout) as JsonFileReport[])
    .map((report) =>
      report.filePath
        .slice(root.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
  assert.deepEqual(checked, ['other.json', 'relaxed/model.ts', 'strict/sub/model.ts']);
  assert.deepEqual(severities(run.stdout), { 'relaxed/model.ts': undefined, 'strict/sub/model.ts': 'warning' });
});

test('--config replaces the nearest file for every path, and --rule beats it', () => {
  const explicit = runCli(['lint', '--format', 'json', '--config', 'other.json', '.'], root);
  assert.deepEqual(severities(explicit.stdout), { 'relaxed/model.ts': 'info', 'strict/sub/model.ts': 'info' });
  const flagged = runCli(['lint', '--format', 'json', '--rule', 'symmetric-init=error', '.'], root);
  assert.equal(flagged.code, 1);
  assert.deepEqual(severities(flagged.stdout), { 'relaxed/model.ts': 'error', 'strict/sub/model.ts': 'error' });
});

test('an invalid config file is reported with line and column, its valid parts still apply, exit 2', () => {
  const broken = temporaryFolder();
  try {
    writeFileSync(join(broken, 'model.ts'), MODEL);
    writeFileSync(
      join(broken, '.modellintrc.json'),
      '{\n  "rules": { "symmetric-init": "warning", "no-such-rule": "off" },\n  "treshold": 3\n}\n',
    );
    const run = runCli(['lint', 'model.ts'], broken);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^\.modellintrc\.json:2:43 error Unknown rule id 'no-such-rule'.* \[config\]$/m);
    assert.match(run.stderr, /^\.modellintrc\.json:3:3 error Unknown key 'treshold'.* \[config\]$/m);
    assert.match(run.stdout, /^model\.ts:3:\d+ warning .*\[symmetric-init\]$/m);
    writeFileSync(join(broken, '.modellintrc.json'), '{ "rules": ');
    const syntax = runCli(['lint', 'model.ts'], broken);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /^\.modellintrc\.json:1:\d+ error Invalid JSON: /m);
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
});
