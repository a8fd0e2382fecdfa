// Runs the compiled node:test suites (unit, rules, protocol, ...) from out/test.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = join(root, 'out/test');

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name === 'e2e') continue; // real-editor suites run through npm run test:e2e
      files.push(...collect(full));
    } else if (name.endsWith('.test.js')) files.push(full);
  }
  return files.sort();
}

const filter = process.argv[2];
const files = collect(testRoot).filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  // node --test with no file falls back to discovering everything: say so instead.
  console.error(`run-tests: no compiled test file matches '${filter ?? ''}' under out/test (run npx tsc -b first)`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
