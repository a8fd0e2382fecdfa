// The npm package and the .vsix each hold what they run (bundles, wasm files, docs) and no sources or tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '../../..');
const SOURCES =
  /^(server|client|common|test|scripts|examples|node_modules)\/|\.map$|^out\/test\/|^(eslint\.config\.mjs|\.prettierrc\.json|\.prettierignore)$/;

test('npm pack lists the bundles, wasm files, bins, rule docs and type declarations, and nothing of the sources', () => {
  // --ignore-scripts: list what the tree holds now (npm test has built it) instead of running the prepack build.
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const files = new Set((JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path));
  for (const required of [
    'bin/model-lint.js',
    'bin/model-lint-language-server.js',
    'dist/cli.js',
    'dist/api.js',
    'dist/server.js',
    'dist/probeWorker.js',
    'dist/model-lint-gemm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
    'dist/chart.umd.min.js',
    'docs/rules/symmetric-init.md',
    'out/server/src/index.d.ts',
    'out/common/src/probe.d.ts',
    'README.md',
    'LICENSE',
    'package.json',
  ])
    assert.ok(files.has(required), `${required} is in the package`);
  assert.deepEqual(
    [...files].filter((f) => SOURCES.test(f)),
    [],
  );
});

test("vsce lists the extension's bundles, wasm files, docs and grammar, and not the CLI or API bundles", () => {
  const output = execFileSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], {
    cwd: root,
    encoding: 'utf8',
  });
  const files = new Set(
    output
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  for (const required of [
    'dist/extension.js',
    'dist/server.js',
    'dist/probeWorker.js',
    'dist/webview.js',
    'dist/model-lint-gemm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
    'docs/rules/symmetric-init.md',
    'syntaxes/model-lint.injection.tmLanguage.json',
    'package.json',
  ])
    assert.ok(files.has(required), `${required} is in the .vsix (${[...files].join(', ')})`);
  assert.deepEqual(
    [...files].filter((f) => SOURCES.test(f) || f === 'dist/cli.js' || f === 'dist/api.js'),
    [],
  );
});
