// The npm package holds what its bin entries and API need (the bundles and wasm files) and no sources or tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '../../..');

test('npm pack lists the bundles, wasm files, bins, rule docs and type declarations, and nothing of the sources', () => {
  // --ignore-scripts: list what the tree holds now (npm test has built it) instead of running the prepack build.
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const files = new Set((JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path));
  for (const required of [
    'bin/model-lint.js', 'bin/model-lint-language-server.js', 'dist/cli.js', 'dist/api.js', 'dist/server.js',
    'dist/probeWorker.js', 'dist/model-lint-gemm.wasm', 'dist/tfjs-backend-wasm-simd.wasm', 'dist/chart.umd.min.js',
    'docs/rules/symmetric-init.md', 'out/server/src/index.d.ts', 'README.md', 'LICENSE', 'package.json',
  ]) assert.ok(files.has(required), `${required} is in the package`);
  const unwanted = [...files].filter((f) => /^(server|client|common|test|scripts|examples)\//.test(f) || f.endsWith('.map') || f.startsWith('out/test/'));
  assert.deepEqual(unwanted, []);
});
