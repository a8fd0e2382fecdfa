// The probe webview's message validators: well-formed messages pass, anything else is dropped.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ProbeReport } from '../../common/src/probe';
import { parseFromWebview, parseToWebview } from '../../common/src/probeWebview';

const layer = {
  name: 'dense#0',
  type: 'dense',
  line: 6,
  gradNorm: 0.5,
  relativeGradNorm: 0.1,
  updateRatio: 0.01,
  activationMean: 0,
  activationStd: 1,
  deadFraction: 0.2,
  saturatedFraction: null,
  lsuvScale: 1.1,
};
const run = {
  findings: [{ id: 'stalled' as const, message: 'loss flat' }],
  layers: [layer],
  loss: [2.3, 2.2, Number.NaN],
  timing: { buildMs: 1, stepMs: 2 },
  assumptions: ['batch 32'],
};
const report: ProbeReport = { backend: 'wasm', models: [{ ...run, name: 'model', line: 5, fixed: { ...run, findings: [] } }] };

test('webview → extension: the documented messages pass, others are dropped', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'revealLayer', line: 6 }), { type: 'revealLayer', line: 6 });
  assert.equal(parseFromWebview({ type: 'revealLayer', line: 0 }), null);
  assert.equal(parseFromWebview({ type: 'revealLayer', line: '6' }), null);
  assert.deepEqual(parseFromWebview({ type: 'exportPng', dataUrl: 'data:image/png;base64,AAAA' }), {
    type: 'exportPng',
    dataUrl: 'data:image/png;base64,AAAA',
  });
  assert.equal(parseFromWebview({ type: 'exportPng', dataUrl: 'javascript:alert(1)' }), null);
  assert.equal(parseFromWebview({ type: 'runShell', command: 'rm -rf /' }), null);
  assert.equal(parseFromWebview(null), null);
  assert.equal(parseFromWebview('ready'), null);
});

test('extension → webview: a ProbeReport passes; a report with wrong field types does not', () => {
  const message = { type: 'report', report, fileName: '/w/model.ts', documentUri: 'file:///w/model.ts', model: 0 };
  assert.deepEqual(parseToWebview(message), message);
  assert.deepEqual(parseToWebview({ type: 'status', text: 'Probing…', busy: true }), { type: 'status', text: 'Probing…', busy: true });
  const badLayer = { ...report, models: [{ ...report.models[0], layers: [{ ...layer, gradNorm: '0.5' }] }] };
  assert.equal(parseToWebview({ ...message, report: badLayer }), null);
  const errorOnly = { backend: 'cpu', models: [{ name: 'm', line: 1, error: 'too large' }] };
  assert.notEqual(parseToWebview({ ...message, report: errorOnly }), null, 'a model that could not be probed carries only its error');
  assert.notEqual(
    parseToWebview({ ...message, report: { ...report, backendNotes: ['tfjs-node not used'] } }),
    null,
    'backend notes are strings',
  );
  assert.equal(parseToWebview({ ...message, report: { ...report, backendNotes: [{ html: '<b>' }] } }), null);
  assert.equal(parseToWebview({ type: 'report', report, fileName: 3, documentUri: '' }), null);
  assert.equal(parseToWebview({ type: 'html', html: '<script>' }), null);
});

test("extension → webview: a notebook report's line labels pass when they map line numbers to strings", () => {
  const message = {
    type: 'report',
    report,
    fileName: '/w/nb.ipynb',
    documentUri: 'file:///w/nb.ipynb',
    model: 0,
    lineLabels: { 5: 'cell 3, line 1', 6: 'cell 3, line 2' },
  };
  assert.deepEqual(parseToWebview(message), { ...message, lineLabels: { 5: 'cell 3, line 1', 6: 'cell 3, line 2' } });
  assert.equal(parseToWebview({ ...message, lineLabels: { 5: { html: '<b>' } } }), null, 'a label is a string');
  assert.equal(parseToWebview({ ...message, lineLabels: { first: 'cell 1, line 1' } }), null, 'a key is a line number');
  assert.equal(parseToWebview({ ...message, lineLabels: ['cell 1, line 1'] }), null);
});
