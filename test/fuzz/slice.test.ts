// The fixed-seed slice of the fuzzer that every test run does (npm run fuzz -- --count 2000 --seed 1, nothing saved).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFuzz, type FoundFailure, type FuzzSummary } from './campaign';
import { KNOWN_DEFECTS } from './knownDefects';

const root = join(__dirname, '..', '..', '..');
const SLICE = { count: 2000, seed: 1 };

function describeFailures(failures: FoundFailure[]): string {
  return failures
    .slice(0, 10)
    .map((f) => `${f.check} on input ${f.input.index} (${f.input.origin}): ${f.detail}`)
    .join('\n');
}

describe(`fuzz slice: ${SLICE.count} inputs of seed ${SLICE.seed}`, () => {
  let summary: FuzzSummary;
  before(
    async () => {
      summary = await runFuzz(root, { ...SLICE, workers: 1, deadlineMs: 10_000 });
    },
    { timeout: 5 * 60_000 },
  );

  test('checks every input of every origin', () => {
    assert.equal(summary.inputs, SLICE.count);
    for (const origin of [
      'generated TF.js program',
      'generated model JSON',
      'generated Python',
      'mutation of a fixture or example',
      'stress',
    ]) {
      assert.ok((summary.byOrigin[origin] ?? 0) > 0, `no input from ${origin}: ${JSON.stringify(summary.byOrigin)}`);
    }
    assert.ok(summary.fixesChecked > 100, `only ${summary.fixesChecked} fixes were re-linted`);
  });

  test('no failure outside the known defects of issue 11', () => {
    const unknown = summary.failures.filter((failure) => failure.defect === null);
    assert.deepEqual(unknown.length, 0, describeFailures(unknown));
  });

  for (const defect of KNOWN_DEFECTS) {
    test(`no failure of the known defect ${defect.id}`, { todo: defect.description }, () => {
      const found = summary.failures.filter((failure) => failure.defect === defect.id);
      assert.equal(found.length, 0, describeFailures(found));
    });
  }
});
