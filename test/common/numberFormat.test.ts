// The one rule every face uses to show a number to a person: cut-offs, rounding, signs, special values, percentages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumber, formatPercent } from '../../common/src/numberFormat';

test('moderate magnitudes are plain decimals with 3 significant digits and no trailing zeros', () => {
  assert.equal(formatNumber(0.5), '0.5');
  assert.equal(formatNumber(1), '1');
  assert.equal(formatNumber(2.5e-2), '0.025');
  assert.equal(formatNumber(0.123456), '0.123');
  assert.equal(formatNumber(12.3456), '12.3');
  assert.equal(formatNumber(1234.5), '1230');
  assert.equal(formatNumber(0.0012345), '0.00123');
});

test('very small and very large magnitudes use exponent form with 2 significant digits', () => {
  assert.equal(formatNumber(3.9e-6), '3.9e-6');
  assert.equal(formatNumber(3.2e-5), '3.2e-5');
  assert.equal(formatNumber(1e-4), '1e-4');
  assert.equal(formatNumber(12345), '1.2e4');
  assert.equal(formatNumber(5e4), '5e4');
  assert.equal(formatNumber(1.5e22), '1.5e22');
  assert.equal(formatNumber(2.7e-300), '2.7e-300');
});

test('the cut-offs sit at 1e-3 (plain) and 1e4 (exponent), judged after rounding', () => {
  assert.equal(formatNumber(1e-3), '0.001');
  assert.equal(formatNumber(9.99e-4), '1e-3');
  assert.equal(formatNumber(9.9949e-4), '1e-3');
  assert.equal(formatNumber(0.00099996), '0.001');
  assert.equal(formatNumber(9990), '9990');
  assert.equal(formatNumber(9999.7), '1e4');
  assert.equal(formatNumber(1e4), '1e4');
});

test('negatives mirror positives', () => {
  assert.equal(formatNumber(-0.5), '-0.5');
  assert.equal(formatNumber(-3.9e-6), '-3.9e-6');
  assert.equal(formatNumber(-12345), '-1.2e4');
  assert.equal(formatNumber(-1e-3), '-0.001');
});

test('zero, infinities, and missing values (null, undefined, NaN)', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatNumber(Number.NaN), '-');
  assert.equal(formatNumber(Infinity), 'infinity');
  assert.equal(formatNumber(-Infinity), '-infinity');
  assert.equal(formatNumber(null), '-');
  assert.equal(formatNumber(undefined), '-');
  assert.equal(formatNumber(null, { missing: 'n/a' }), 'n/a');
  assert.equal(formatNumber(undefined, { missing: '?' }), '?');
  assert.equal(formatNumber(0 / 0, { missing: 'n/a' }), 'n/a', 'a 0/0 ratio has no value to show');
});

test('a face may ask for more significant digits; the cut-offs stay', () => {
  assert.equal(formatNumber(2.302585, { digits: 4 }), '2.303');
  assert.equal(formatNumber(2.302585e-5, { digits: 4 }), '2.3e-5');
  assert.equal(formatNumber(2.312585e-5, { digits: 4 }), '2.31e-5');
  assert.equal(formatNumber(0.5, { digits: 4 }), '0.5');
});

test('percentages: share times 100 with 2 significant digits', () => {
  assert.equal(formatPercent(0.37), '37%');
  assert.equal(formatPercent(0.374), '37%');
  assert.equal(formatPercent(0.005), '0.5%');
  assert.equal(formatPercent(0.07), '7%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(null), '-');
  assert.equal(formatPercent(undefined, '–'), '–');
  assert.equal(formatPercent(Number.NaN), '-');
});

test('the module imports nothing, so the webview bundle can use it without engine code', () => {
  const source = readFileSync(join(__dirname, '../../../common/src/numberFormat.ts'), 'utf8');
  assert.doesNotMatch(source, /^\s*import\s/m);
  assert.doesNotMatch(source, /\brequire\(/);
});
