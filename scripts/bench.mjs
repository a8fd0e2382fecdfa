// Runs every benchmark in scripts/bench/ in name order, each in its own Node process, and fails if one fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'scripts/bench');
const only = process.argv[2];
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.mjs') && (!only || name.includes(only)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(benchDir, file)], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    failed++;
    console.log(`${file} exited with ${result.status ?? result.signal}`);
  }
}
console.log(`\n${files.length} benchmarks run, ${failed} failed to run.`);
process.exit(failed === 0 ? 0 : 1);
