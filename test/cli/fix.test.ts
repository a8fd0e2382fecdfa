// --fix and --fix-dry-run on copies of the examples: files written or not, fixed text re-parses and re-lints clean.
import { spawnSync } from 'node:child_process';
import { requireTool } from '../helpers/externalTools';
import { syntaxErrors } from '../engine/rules/ruleTester';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { parse, type ParseError } from 'jsonc-parser';
import type { JsonFileReport } from '../../server/src/cli/report';
import { copyOfExamples, runCli, temporaryFolder } from '../helpers/runCli';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory)) {
      const full = join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(full, readFileSync(full, 'latin1'));
    }
  };
  walk(folder);
  return files;
}

test('--fix-dry-run reports the fixed text as "output" and writes nothing', () => {
  const root = copyOfExamples();
  folders.push(root);
  const before = snapshot(root);
  const run = runCli(['lint', 'examples', '--format', 'json', '--fix-dry-run'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(snapshot(root), before);
  const reports = JSON.parse(run.stdout) as JsonFileReport[];
  assert.ok(reports.every((report) => typeof report.output === 'string'));
  const bad = reports.find((report) => report.filePath.endsWith('mnist-mlp-bad.ts'));
  assert.ok(bad?.output);
  assert.doesNotMatch(bad.output, /'zeros'|glorotUniform|randomNormal/);
  assert.deepEqual(bad.diagnostics, []);
  const good = reports.find((report) => report.filePath.endsWith('mnist-mlp-good.ts'));
  assert.equal(good?.output, readFileSync(good?.filePath ?? '', 'utf8'));
  const text = runCli(['lint', 'examples', '--fix-dry-run'], root);
  assert.match(text.stdout, /^Would fix \d+ problems in 11 files \(--fix-dry-run: nothing was written\)\.$/m);
});

test('--fix writes every safe fix; the files still parse and re-lint without fixable problems', () => {
  const root = copyOfExamples();
  folders.push(root);
  const before = snapshot(root);
  const run = runCli(['lint', 'examples', '--fix'], root);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^Fixed \d+ problems in 11 files\.$/m);
  const after = snapshot(root);
  const changed = [...after]
    .filter(([path, text]) => before.get(path) !== text)
    .map(([path]) => path.slice(root.length + 1))
    .sort();
  assert.deepEqual(changed, [
    'examples/keras-cnn.json',
    'examples/keras-lstm.py',
    'examples/keras-mlp-bad.py',
    'examples/keras3-mlp.json',
    'examples/lstm-text.ts',
    'examples/mnist-mlp-bad.ts',
    'examples/pytorch-mlp-bad.py',
    'examples/pytorch-notebook.ipynb',
    'examples/pytorch-tanh-selu.py',
    'examples/selu-dropout.js',
    'examples/tfjs-model/model.json',
  ]);
  for (const path of changed) {
    const text = readFileSync(join(root, path), 'utf8');
    if (path.endsWith('.json') || path.endsWith('.ipynb')) {
      const errors: ParseError[] = [];
      parse(text, errors);
      assert.deepEqual(errors, [], path);
    } else if (path.endsWith('.py')) {
      assert.deepEqual(syntaxErrors(text, path), [], path);
    } else {
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      assert.deepEqual((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics, [], path);
    }
  }
  const again = JSON.parse(runCli(['lint', 'examples', '--format', 'json'], root).stdout) as JsonFileReport[];
  assert.deepEqual(
    again.flatMap((report) => report.diagnostics.filter((d) => d.fix !== null)),
    [],
  );
  // The weights file next to model.json is untouched.
  const weights = join(root, 'examples/tfjs-model/weights.bin');
  assert.equal(after.get(weights), before.get(weights));
});

test("--fix keeps a byte-order mark and the file's quote style", () => {
  const root = temporaryFolder();
  folders.push(root);
  const path = join(root, 'model.ts');
  writeFileSync(
    path,
    '\ufeffimport * as tf from "@tensorflow/tfjs";\nconst m = tf.sequential();\nm.add(tf.layers.dense({ inputShape: [8], units: 16, activation: "relu", kernelInitializer: "zeros" }));\nm.add(tf.layers.dense({ units: 1 }));\n',
  );
  const run = runCli(['lint', 'model.ts', '--fix'], root);
  assert.equal(run.code, 0, run.stdout);
  const fixed = readFileSync(path, 'utf8');
  assert.equal(fixed.charCodeAt(0), 0xfeff);
  assert.match(fixed, /kernelInitializer: "he(Normal|Uniform)"/);
});

test('the Python examples still compile in CPython after --fix (python3 -m py_compile)', (t) => {
  const python = spawnSync('python3', ['--version']);
  if (!requireTool(t, { name: 'python3', install: 'apt-get install -y python3' }, python.status === 0)) return;
  const root = copyOfExamples();
  folders.push(root);
  assert.equal(runCli(['lint', 'examples', '--fix'], root).code, 0);
  const files = readdirSync(join(root, 'examples'))
    .filter((name) => name.endsWith('.py'))
    .map((name) => join(root, 'examples', name));
  assert.ok(files.length >= 7);
  const compiled = spawnSync('python3', ['-m', 'py_compile', ...files], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPYCACHEPREFIX: join(root, 'pycache') },
  });
  assert.equal(compiled.status, 0, compiled.stderr);
});

test("--fix on Python keeps a byte-order mark, CRLF line ends, tab indentation and the file's quotes", () => {
  const root = temporaryFolder();
  folders.push(root);
  const torchPath = join(root, 'net.py');
  const torch = [
    '\ufeffimport torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    '',
    'class Net(nn.Module):',
    '\tdef __init__(self):',
    '\t\tsuper().__init__()',
    '\t\tself.fc1 = nn.Linear(784, 256)',
    '\t\tself.fc2 = nn.Linear(256, 10)',
    '\t\tnn.init.xavier_uniform_(self.fc1.weight)',
    '',
    '\tdef forward(self, x):',
    '\t\treturn self.fc2(F.relu(self.fc1(x)))',
    '',
  ].join('\r\n');
  writeFileSync(torchPath, torch);
  const kerasPath = join(root, 'model.py');
  const keras = [
    '\ufeffimport keras',
    'from keras import layers',
    '',
    'model = keras.Sequential([',
    "\tkeras.Input(shape=('784',)[0:0] or (784,)),",
    "\tlayers.Dense(64, activation='relu', kernel_initializer='glorot_uniform'),",
    "\tlayers.Dense(64, activation='selu'),",
    '\tlayers.Dense(1),',
    '])',
    '',
  ].join('\r\n');
  writeFileSync(kerasPath, keras);
  const dryRun = JSON.parse(runCli(['lint', 'net.py', 'model.py', '--fix-dry-run', '--format', 'json'], root).stdout) as JsonFileReport[];
  const run = runCli(['lint', 'net.py', 'model.py', '--fix'], root);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const fixedTorch = readFileSync(torchPath, 'utf8');
  const fixedKeras = readFileSync(kerasPath, 'utf8');
  assert.equal(
    fixedTorch,
    torch.replace('nn.init.xavier_uniform_(self.fc1.weight)', 'nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")'),
  );
  assert.equal(
    fixedKeras,
    keras
      .replace("kernel_initializer='glorot_uniform'", "kernel_initializer='he_uniform'")
      .replace("layers.Dense(64, activation='selu')", "layers.Dense(64, activation='selu', kernel_initializer='lecun_normal')"),
  );
  // --fix-dry-run shows exactly what --fix wrote.
  assert.deepEqual(dryRun.map((report) => report.output).sort(), [fixedKeras, fixedTorch].sort());
});
