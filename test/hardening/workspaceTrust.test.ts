// Workspace trust: the extension declares limited support for untrusted and virtual workspaces, and in an untrusted
// workspace the probe never loads @tensorflow/tfjs-node from the workspace (only the bundled wasm or cpu backends).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BackendUnavailable, selectBackend } from '../../server/src/probe/backend';
import { REPO_ROOT } from '../helpers/runCli';

const workspace = mkdtempSync(join(tmpdir(), 'model-lint-untrusted-'));
after(() => rmSync(workspace, { recursive: true, force: true }));
const marker = join(workspace, 'tfjs-node-was-loaded');
const fakeModule = join(workspace, 'node_modules', '@tensorflow', 'tfjs-node');
mkdirSync(fakeModule, { recursive: true });
writeFileSync(join(fakeModule, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
// Loading it leaves a file behind: the proof that workspace code ran.
writeFileSync(
  join(fakeModule, 'index.js'),
  `require('fs').writeFileSync(${JSON.stringify(marker)}, 'loaded'); throw new Error('workspace tfjs-node');\n`,
);

test('package.json declares limited untrusted and virtual workspace support and restricts the backend setting', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    capabilities?: Record<string, { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown }>;
  };
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.match(String(untrusted?.description), /tfjs-node/);
  assert.deepEqual(untrusted?.restrictedConfigurations, ['modelLint.probe.backend']);
  assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, 'limited');
  assert.equal(typeof manifest.capabilities?.virtualWorkspaces?.description, 'string');
});

test('in an untrusted workspace the workspace tfjs-node is not loaded, with a note saying why', async () => {
  // The fake package really is what a trusted probe would resolve first.
  assert.equal(createRequire(join(workspace, 'noop.js')).resolve('@tensorflow/tfjs-node'), join(fakeModule, 'index.js'));
  await assert.rejects(
    selectBackend('node', { workspaceRoot: workspace, trusted: false }),
    (error: Error) => error instanceof BackendUnavailable && /not trusted/.test(error.message),
  );
  const choice = await selectBackend('auto', { workspaceRoot: workspace, trusted: false });
  assert.ok(choice.backend === 'wasm' || choice.backend === 'cpu', choice.backend);
  assert.ok(
    choice.notes.some((note) => /not trusted/.test(note) && /tfjs-node/.test(note)),
    choice.notes.join(' | '),
  );
  assert.equal(existsSync(marker), false, 'workspace code ran');
});
