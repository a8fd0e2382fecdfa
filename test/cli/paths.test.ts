// Which files the CLI checks: directory walks, globs, missing and unreadable paths (exit 2 after checking the rest), odd content.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonFileReport } from '../../server/src/cli/report';
import { runCli, temporaryFolder } from '../helpers/runCli';

const ZEROS_MODEL = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', kernelInitializer: 'zeros' }));
model.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal' }));
model.add(tf.layers.dense({ units: 1 }));
`;
const GOOD_MODEL = ZEROS_MODEL.replace("'zeros'", "'heNormal'");

const folders: string[] = [];
function project(files: Record<string, string>): string {
  const root = temporaryFolder();
  folders.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function checkedFiles(stdout: string, root: string): string[] {
  return (JSON.parse(stdout) as JsonFileReport[])
    .map((report) =>
      report.filePath
        .slice(root.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

test('directories are walked by extension, skipping node_modules, .git, dist and out', () => {
  const root = project({
    'src/model.ts': GOOD_MODEL,
    'src/nested/deeper/model.mjs': GOOD_MODEL,
    'src/readme.md': ZEROS_MODEL,
    'src/model.py': ZEROS_MODEL,
    'node_modules/pkg/index.js': ZEROS_MODEL,
    '.git/hooks/x.js': ZEROS_MODEL,
    'dist/bundle.js': ZEROS_MODEL,
    'out/model.js': ZEROS_MODEL,
    'models/model.json': '{"class_name": "Sequential", "config": {"layers": []}}',
    'package.json': '{"name": "demo"}',
  });
  const run = runCli(['lint', '--format', 'json'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(checkedFiles(run.stdout, root), [
    'models/model.json',
    'package.json',
    'src/model.py',
    'src/model.ts',
    'src/nested/deeper/model.mjs',
  ]);
  // Named explicitly, a file is checked whatever its folder or extension.
  const explicit = runCli(['lint', '--format', 'json', 'dist/bundle.js', 'src/readme.md'], root);
  assert.equal(explicit.code, 1);
  assert.deepEqual(checkedFiles(explicit.stdout, root), ['dist/bundle.js', 'src/readme.md']);
});

test('glob patterns select matching files; a pattern matching nothing is an error', () => {
  const root = project({ 'a/one.ts': GOOD_MODEL, 'a/b/two.ts': ZEROS_MODEL, 'a/b/three.js': GOOD_MODEL, 'c/four.ts': GOOD_MODEL });
  const deep = runCli(['lint', '--format', 'json', 'a/**/*.ts'], root);
  assert.equal(deep.code, 1);
  assert.deepEqual(checkedFiles(deep.stdout, root), ['a/b/two.ts', 'a/one.ts']);
  const shallow = runCli(['lint', '--format', 'json', 'a/*.ts', '{a,c}/*.ts'], root);
  assert.equal(shallow.code, 0);
  assert.deepEqual(checkedFiles(shallow.stdout, root), ['a/one.ts', 'c/four.ts']);
  const none = runCli(['lint', 'a/**/*.tsx', 'c/four.ts'], root);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no files match the pattern a\/\*\*\/\*\.tsx/);
  assert.match(none.stdout, /in 1 file\./);
});

test('a missing path is reported and exits 2 after the other paths were checked', () => {
  const root = project({ 'bad.ts': ZEROS_MODEL });
  const run = runCli(['lint', 'missing.ts', 'bad.ts', 'gone/'], root);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no such file or directory: missing\.ts/);
  assert.match(run.stderr, /no such file or directory: gone\//);
  assert.match(run.stdout, /^bad\.ts:3:\d+ error .*\[symmetric-init\]$/m);
  assert.match(run.stdout, /in 1 file\./);
  // The JSON document still comes out whole.
  const json = runCli(['lint', '--format', 'json', 'missing.ts', 'bad.ts'], root);
  assert.equal(json.code, 2);
  assert.deepEqual(checkedFiles(json.stdout, root), ['bad.ts']);
  // SARIF says the run was not fully successful.
  const sarif = JSON.parse(runCli(['lint', '--format', 'sarif', 'missing.ts', 'bad.ts'], root).stdout);
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
});

test('a broken symbolic link inside a folder is reported, the rest is checked, exit 2', () => {
  const root = project({ 'src/good.ts': GOOD_MODEL });
  symlinkSync(join(root, 'src', 'deleted.ts'), join(root, 'src', 'link.ts'));
  const run = runCli(['lint', 'src'], root);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /broken symbolic link .*link\.ts/);
  assert.match(run.stdout, /No problems found in 1 file\./);
});

test('an unreadable file is reported and exits 2 after the other files were checked', (context) => {
  const root = project({ 'locked.ts': ZEROS_MODEL, 'open.ts': ZEROS_MODEL });
  chmodSync(join(root, 'locked.ts'), 0o000);
  // Root reads any file whatever its mode, so as root the CLI runs as the unprivileged user 'nobody'.
  let asUser: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    asUser = { uid: 65534, gid: 65534 };
    chmodSync(root, 0o755);
    if (runCli(['--version'], root, asUser).code !== 0) {
      context.skip('running as root and user nobody cannot run the CLI from this checkout');
      return;
    }
  }
  const run = runCli(['lint', '.'], root, asUser);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /cannot read locked\.ts: EACCES/);
  assert.match(run.stdout, /^open\.ts:3:\d+ error /m);
  assert.match(run.stdout, /in 1 file\./);
});

test('odd content never crashes the CLI: syntax errors, truncated JSON, empty, binary, no model', () => {
  const root = project({
    'half-typed.ts':
      "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 4, kernelInitializer: 'zer",
    'truncated.json':
      '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 8, "kernel_initializer": "zeros"',
    'empty.ts': '',
    'binary.json': '{"class_name": \u0000\u0001\u0002}',
    'plain.js': 'module.exports = 42;\n',
  });
  const run = runCli(['lint', '--format', 'json', '.'], root);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  assert.doesNotMatch(run.stderr, /internal error/);
  assert.equal((JSON.parse(run.stdout) as unknown[]).length, 5);
  const text = runCli(['lint', 'binary.json'], root);
  assert.match(text.stdout, /^binary\.json:1:1 note model-lint skipped this file: it looks binary/m);
});

test('the size limit from the config skips big files with one note', () => {
  const root = project({ 'big.ts': ZEROS_MODEL + '//' + 'x'.repeat(2000) + '\n', '.modellintrc.json': '{"maxFileSize": 1000}' });
  const run = runCli(['lint', 'big.ts'], root);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^big\.ts:1:1 note model-lint skipped this file: \d+ characters is over the size limit of 1000/m);
});
