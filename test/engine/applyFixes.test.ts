// Applying fixes to text: ordering, conflicts, multi-edit fixes and the fix-until-stable loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, applyFixes, fixSpan, fixUntilStable, mergeFixEdits } from '../../server/src/engine/applyFixes';
import type { EngineDiagnostic, Fix } from '../../server/src/engine/types';

const edit = (start: number, end: number, text: string) => ({ span: { start, end }, text });
const fix = (...edits: ReturnType<typeof edit>[]): Fix => ({ title: 'fix', edits });

test('edits apply regardless of the order they are given in', () => {
  const text = 'abcdefghij';
  assert.equal(applyEdits(text, [edit(8, 10, 'XY'), edit(0, 1, 'A'), edit(4, 4, '+')]), 'Abcd+efghXY');
});

test('overlapping edits are refused, touching ones are fine', () => {
  assert.throws(() => applyEdits('abcdef', [edit(0, 3, 'x'), edit(2, 4, 'y')]), /overlapping edits/);
  assert.equal(applyEdits('abcdef', [edit(0, 3, 'x'), edit(3, 4, 'y')]), 'xyef');
});

test('a multi-edit fix merges into one covering edit with the same result', () => {
  const text = "dense({ units: 8, kernelInitializer: 'zeros' })";
  const multi = fix(
    edit(text.indexOf("'zeros'"), text.indexOf("'zeros'") + 7, "'heNormal'"),
    edit(text.lastIndexOf(' })'), text.lastIndexOf(' })'), ', useBias: false'),
  );
  const merged = mergeFixEdits(text, multi);
  assert.deepEqual(merged.span, fixSpan(multi));
  assert.equal(applyEdits(text, [merged]), applyEdits(text, multi.edits));
  assert.equal(applyEdits(text, [merged]), "dense({ units: 8, kernelInitializer: 'heNormal', useBias: false })");
  // A single edit is returned as it is.
  assert.deepEqual(mergeFixEdits(text, fix(edit(0, 5, 'Dense'))), edit(0, 5, 'Dense'));
});

test('conflicting fixes: the first in text order wins, the other is left for a later pass', () => {
  const text = '0123456789';
  const first = fix(edit(2, 5, 'a'));
  const overlapping = fix(edit(4, 6, 'b'));
  const separate = fix(edit(8, 9, 'c'));
  const result = applyFixes(text, [separate, overlapping, first]);
  assert.equal(result.text, '01a567c9');
  assert.deepEqual(result.applied, [first, separate]);
  assert.deepEqual(result.skipped, [overlapping]);
});

test('two insertions at the same offset conflict (their order would be a guess)', () => {
  const result = applyFixes('ab', [fix(edit(1, 1, 'X')), fix(edit(1, 1, 'Y'))]);
  assert.equal(result.applied.length, 1);
  assert.equal(result.skipped.length, 1);
  assert.equal(result.text, 'aXb');
});

test('a fix whose own edits overlap is skipped, an empty fix is ignored', () => {
  const result = applyFixes('abcdef', [fix(edit(0, 3, 'x'), edit(1, 2, 'y')), fix()]);
  assert.equal(result.text, 'abcdef');
  assert.equal(result.applied.length, 0);
  assert.equal(result.skipped.length, 1);
});

/** A toy checker: every 'zeros' is a problem whose fix is 'he', and 'he he' becomes a new problem fixed to 'he'. */
function diagnoseToy(text: string): EngineDiagnostic[] {
  const found: EngineDiagnostic[] = [];
  for (const [pattern, replacement] of [
    [/zeros/g, 'he'],
    [/he he/g, 'he'],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      const span = { start: match.index ?? 0, end: (match.index ?? 0) + match[0].length };
      found.push({ ruleId: 'toy', severity: 'error', message: match[0], span, fix: fix({ span, text: replacement }), suggestions: [] });
    }
  }
  return found;
}

test('fixUntilStable re-analyses until no fix is left', () => {
  const result = fixUntilStable('zeros zeros, zeros', diagnoseToy);
  assert.equal(result.text, 'he, he');
  assert.equal(result.fixCount, 4);
  assert.equal(result.passes, 2);
  assert.deepEqual(result.diagnostics, []);
});

test('fixUntilStable stops after maxPasses even if fixes keep coming', () => {
  let calls = 0;
  const endless = (text: string): EngineDiagnostic[] => {
    calls++;
    const growing: EngineDiagnostic = {
      ruleId: 'grow',
      severity: 'warning',
      message: '',
      span: { start: 0, end: 0 },
      fix: fix(edit(0, 0, 'x')),
      suggestions: [],
    };
    return text.length < 1000 ? [growing] : [];
  };
  const result = fixUntilStable('', endless, 10);
  assert.equal(result.text, 'x'.repeat(10));
  assert.equal(result.passes, 10);
  assert.equal(calls, 11);
});

/** A toy checker with a safe fix for 'zeros' (to 'he') and only a suggestion for 'sigmoid' (to 'relu'). */
function diagnoseWithSuggestion(text: string): EngineDiagnostic[] {
  const found: EngineDiagnostic[] = [];
  for (const match of text.matchAll(/zeros|sigmoid/g)) {
    const span = { start: match.index ?? 0, end: (match.index ?? 0) + match[0].length };
    const safe = match[0] === 'zeros';
    found.push({
      ruleId: safe ? 'zero-init' : 'saturating',
      severity: 'warning',
      message: match[0],
      span,
      fix: safe ? { title: 'use he', edits: [{ span, text: 'he' }] } : null,
      suggestions: [
        { title: 'use relu', edits: [{ span, text: 'relu' }] },
        { title: 'use tanh', edits: [{ span, text: 'tanh' }] },
      ],
    });
  }
  return found;
}

test('fixUntilStable leaves suggestions alone by default and labels what it applied as safe fixes', () => {
  const result = fixUntilStable('sigmoid zeros', diagnoseWithSuggestion);
  assert.equal(result.text, 'sigmoid he');
  assert.deepEqual(result.applied, [{ ruleId: 'zero-init', title: 'use he', kind: 'safe fix' }]);
  assert.equal(result.fixCount, 1);
  assert.deepEqual(
    result.diagnostics.map((d) => d.ruleId),
    ['saturating'],
  );
});

test('fixUntilStable with includeSuggestions applies the first suggestion of an unfixable problem, labelled as such', () => {
  const result = fixUntilStable('sigmoid zeros sigmoid', diagnoseWithSuggestion, 10, { includeSuggestions: true });
  assert.equal(result.text, 'relu he relu');
  assert.deepEqual(result.applied, [
    { ruleId: 'saturating', title: 'use relu', kind: 'suggestion' },
    { ruleId: 'zero-init', title: 'use he', kind: 'safe fix' },
    { ruleId: 'saturating', title: 'use relu', kind: 'suggestion' },
  ]);
  assert.equal(result.fixCount, 3);
  assert.equal(result.passes, 1);
  assert.deepEqual(result.diagnostics, []);
});
