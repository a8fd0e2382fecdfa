// --fix-dry-run shows exactly what --fix writes, also for files that start with a byte-order mark.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { JsonFileReport } from '../../server/src/cli/report';
import { REPO_ROOT, runCli, temporaryFolder } from '../helpers/runCli';

const folder = temporaryFolder('model-lint-bom-');
after(() => rmSync(folder, { recursive: true, force: true }));

for (const [example, variant] of [
  ['mnist-mlp-bad.ts', 'lf'],
  ['mnist-mlp-bad.ts', 'crlf'],
  ['keras-cnn.json', 'lf'],
] as const) {
  test(`--fix-dry-run output equals what --fix writes: ${example} with a BOM (${variant})`, () => {
    const source = readFileSync(join(REPO_ROOT, 'examples', example), 'utf8');
    const file = join(folder, `${variant}-${example}`);
    writeFileSync(file, '\ufeff' + (variant === 'crlf' ? source.replace(/\r?\n/g, '\r\n') : source), 'utf8');
    const dryRun = runCli(['lint', file, '--format', 'json', '--fix-dry-run'], folder);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    const [report] = JSON.parse(dryRun.stdout) as JsonFileReport[];
    assert.ok(report?.output !== undefined, 'dry run gives the fixed text');
    const fix = runCli(['lint', file, '--fix'], folder);
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    const written = readFileSync(file, 'utf8');
    assert.notEqual(written, source, 'the fix changed the file');
    assert.ok(written.startsWith('\ufeff'), 'the BOM is kept');
    assert.equal(report.output, written);
  });
}
