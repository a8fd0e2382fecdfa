// The fuzzer's own parts: inputs are reproducible, minimizing shrinks, the deadline catches slow inputs, checks pass a healthy file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeInput } from './campaign';
import { checkInput, failureFamily, unreadablePart } from './checks';
import { minimize } from './minimize';
import { seedFiles } from './mutate';
import { CheckPool } from './pool';

const root = join(__dirname, '..', '..', '..');

test('an input is a pure function of seed and index', () => {
  const seeds = seedFiles(root);
  assert.ok(
    seeds.some((seed) => seed.path === 'examples/mnist-mlp-bad.ts'),
    'the examples are among the seed files',
  );
  assert.ok(!seeds.some((seed) => seed.path.startsWith('test/fuzz/')), 'saved regressions are not mutated again');
  const texts = Array.from({ length: 30 }, (_, index) => makeInput(7, index, seeds));
  assert.deepEqual(
    Array.from({ length: 30 }, (_, index) => makeInput(7, index, seeds)),
    texts,
  );
  assert.ok(new Set(texts.map((input) => input.text)).size > 25, 'neighbouring indexes give different inputs');
  assert.notEqual(makeInput(8, 0, seeds).text, texts[0].text);
});

test('minimizing keeps only what the failure needs, line endings included', async () => {
  const text = ['const a = 1;', 'const b = 2;', 'BAD(thing);', 'const c = 3;', 'const d = 4;'].join('\r\n');
  const small = await minimize(text, async (candidate) => candidate.includes('BAD'));
  assert.equal(small, 'BAD');
  const kept = await minimize(text, async (candidate) => candidate.includes('BAD(thing);\r\n'));
  assert.equal(kept, 'BAD(thing);\r\n');
});

test('a healthy example passes every check, fixes included', () => {
  const file = join(root, 'examples', 'mnist-mlp-bad.ts');
  const result = checkInput(readFileSync(file, 'utf8'), file);
  assert.deepEqual(result.failures, []);
  assert.ok(result.diagnostics > 0 && result.fixesChecked > 0, `diagnostics ${result.diagnostics}, fixes ${result.fixesChecked}`);
});

test('unreadable messages are told from readable ones', () => {
  assert.equal(unreadablePart('so the first layer learns infinityx slower than the last'), '"infinity"');
  assert.equal(unreadablePart('at rate NaN it sets - of the units to 0'), '"NaN"');
  assert.equal(unreadablePart('randomNormal(stddev 1e999) is too wide'), 'non-finite number 1e999');
  assert.equal(unreadablePart('got [object Object]'), '"[object"');
  assert.equal(unreadablePart("Layer 'dense_1' (dense, 64 units) uses heNormal: the layer's gain is 0.5, 1e-3 below 3.9e+6"), null);
  assert.equal(unreadablePart("the layer named 'Infinity' or \"undefined\" is the user's own name"), null);
  assert.equal(failureFamily({ check: 'message', detail: '"NaN" in: at rate NaN' }), 'message: NaN');
  assert.equal(
    failureFamily({ check: 'exception', detail: 'TypeError: activation.phi is not a function at computeMoments (propagation.js:10:3)' }),
    'exception: TypeError: activation.phi is not a function',
  );
});

test('an input over the deadline is reported as a hang and the pool goes on', async () => {
  const pool = new CheckPool({ workers: 1, deadlineMs: 1 });
  try {
    const input = makeInput(1, 116, seedFiles(root));
    const slow = await pool.check(input.text, input.fileName);
    assert.deepEqual(
      slow.failures.map((f) => f.check),
      ['hang'],
    );
  } finally {
    await pool.close();
  }
  const relaxed = new CheckPool({ workers: 1, deadlineMs: 30_000 });
  try {
    const result = await relaxed.check('{"class_name": "Sequential", "config": {"layers": []}}', 'model.json');
    assert.deepEqual(result.failures, []);
  } finally {
    await relaxed.close();
  }
});
