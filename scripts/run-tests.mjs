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
// A full run checks the import directions first (.dependency-cruiser.cjs, `npm run depcheck`): one line when they
// hold, the violations and a failed run when not. A filtered run is for the tests it names only.
let depcheckStatus = 0;
if (!filter) {
  const depcheck = spawnSync('npm', ['run', '--silent', 'depcheck'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  depcheckStatus = depcheck.status ?? 1;
  if (depcheckStatus !== 0) console.error('run-tests: npm run depcheck found imports against the allowed directions (see above)');
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
process.exit(depcheckStatus !== 0 ? 1 : result.status ?? 1);
