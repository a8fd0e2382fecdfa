// Every fix and suggestion on every example file and rule fixture: applied, re-parsed and re-linted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../../server/src/engine/analyze';
import { applyEdits, fixUntilStable } from '../../../server/src/engine/applyFixes';
import type { EngineDiagnostic } from '../../../server/src/engine/types';
import { syntaxErrors } from './ruleTester';

const root = join(__dirname, '..', '..', '..', '..');
const MODEL_FILE = /\.(ts|js|mjs|cjs|json)$/;

function collect(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? collect(full) : MODEL_FILE.test(name) ? [full] : [];
    })
    .sort();
}

const files = [...collect(join(root, 'examples')), ...collect(join(root, 'test', 'fixtures', 'rules'))];

/** How many problems a rule reports on a layer (the identity of "that diagnostic" across a re-lint, where spans move). */
function countOf(diagnostics: EngineDiagnostic[], target: EngineDiagnostic): number {
  return diagnostics.filter((d) => d.ruleId === target.ruleId && d.layerId === target.layerId && d.modelName === target.modelName).length;
}

test('there are example files and rule fixtures to fix', () => {
  assert.ok(files.length >= 4, `found ${files.length} files`);
});

test('the rule fixtures exercise fixes of several rules', () => {
  const fixtureRules = new Set(
    collect(join(root, 'test', 'fixtures', 'rules')).flatMap((file) =>
      analyze(readFileSync(file, 'utf8'), file)
        .diagnostics.filter((d) => d.fix)
        .map((d) => d.ruleId),
    ),
  );
  for (const id of [
    'symmetric-init',
    'glorot-with-relu',
    'he-with-saturating',
    'init-scale-mismatch',
    'selu-without-lecun',
    'lstm-forget-bias',
    'recurrent-init',
  ]) {
    assert.ok(fixtureRules.has(id), `no fixture has a fixable ${id} problem`);
  }
});

for (const file of files) {
  const name = relative(root, file);
  test(`${name}: each fix and suggestion re-parses and removes its problem`, () => {
    const text = readFileSync(file, 'utf8');
    const before = analyze(text, file);
    const baseErrors = syntaxErrors(text, file).length;
    for (const diagnostic of before.diagnostics) {
      const label = `${diagnostic.ruleId} at ${diagnostic.span.start}`;
      if (diagnostic.fix) {
        const fixed = applyEdits(text, diagnostic.fix.edits);
        assert.ok(
          syntaxErrors(fixed, file).length <= baseErrors,
          `${label}: fix breaks the syntax:\n${syntaxErrors(fixed, file).join('\n')}`,
        );
        const after = analyze(fixed, file);
        assert.equal(
          countOf(after.diagnostics, diagnostic),
          countOf(before.diagnostics, diagnostic) - 1,
          `${label}: the problem is still reported after its fix`,
        );
      }
      for (const suggestion of diagnostic.suggestions) {
        const suggested = applyEdits(text, suggestion.edits);
        assert.ok(syntaxErrors(suggested, file).length <= baseErrors, `${label}: suggestion "${suggestion.title}" breaks the syntax`);
        assert.doesNotThrow(() => analyze(suggested, file));
      }
    }
  });

  test(`${name}: fixing everything converges to a text without fixable problems`, () => {
    const text = readFileSync(file, 'utf8');
    const result = fixUntilStable(text, (current) => analyze(current, file).diagnostics);
    assert.ok(syntaxErrors(result.text, file).length <= syntaxErrors(text, file).length, 'fix-all breaks the syntax');
    assert.deepEqual(
      result.diagnostics.filter((d) => d.fix).map((d) => `${d.ruleId}: ${d.message}`),
      [],
      'fixable problems left',
    );
  });
}
