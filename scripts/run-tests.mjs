// Runs the static checks (ESLint, Prettier) and the compiled node:test suites (engine, lsp, cli, common, probe, ...) from out/test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
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

/** The TypeScript source a compiled test came from; tsc -b never deletes the output of a moved or deleted test. */
const sourceOf = (compiled) => join(root, compiled.slice(join(root, 'out').length + 1).replace(/\.js$/, '.ts'));

/**
 * The package.json scripts run before the suites: the import directions (.dependency-cruiser.cjs), ESLint and
 * Prettier. Each says one line when it passes and everything when it fails.
 */
const CHECKS = ['depcheck', 'lint', 'format:check'];

/** Runs a package.json script as npm would (node_modules/.bin on PATH), quietly; true when it passes. */
function runCheck(name) {
  const command = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts[name];
  const started = performance.now();
  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };
  const run = spawnSync(command, { cwd: root, env, shell: true, encoding: 'utf8' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`run-tests: ${name} passed (${seconds} s)`);
    return true;
  }
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  console.error(`run-tests: ${name} failed (\`${command}\`, exit ${run.status ?? run.signal})`);
  return false;
}

const filter = process.argv[2];
const compiled = collect(testRoot);
const stale = compiled.filter((f) => !existsSync(sourceOf(f)));
if (stale.length > 0)
  console.log(`run-tests: skipping ${stale.length} compiled test file(s) whose source is gone (stale out/; delete out/ to clear)`);
const files = compiled.filter((f) => !stale.includes(f) && (!filter || f.includes(filter)));
if (files.length === 0) {
  // node --test with no file falls back to discovering everything: say so instead.
  console.error(`run-tests: no compiled test file matches '${filter ?? ''}' under out/test (run npx tsc -b first)`);
  process.exit(2);
}
// A filtered run is a quick look at some suites: the whole-tree checks run only in the full run.
const checksPassed = filter ? true : CHECKS.map(runCheck).every(Boolean);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
if (!checksPassed) console.error(`run-tests: a check failed (${CHECKS.join(', ')}); see above the test output`);
process.exit(checksPassed ? (result.status ?? 1) : 1);
