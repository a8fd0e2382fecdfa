// Builds model-lint-<version>.vsix with @vscode/vsce (its vscode:prepublish step makes the production bundles) and prints what it holds.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `${name}-${version}.vsix`;

// Dependencies are bundled into dist/ by esbuild, so vsce must not copy node_modules.
const vsce = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/@vscode/vsce/vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--out',
    vsix,
  ],
  { cwd: root, stdio: 'inherit' },
);
if (vsce.status !== 0) process.exit(vsce.status ?? 1);

const bytes = statSync(join(root, vsix)).size;
const listing = spawnSync('unzip', ['-l', join(root, vsix)], { encoding: 'utf8' });
if (listing.status === 0) process.stdout.write(listing.stdout);
console.log(`${vsix}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
