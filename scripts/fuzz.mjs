// Fuzzer of the engine (npm run fuzz -- --count N --seed S): generated and mutated inputs checked in worker threads.
// Options: --count N (default 1000), --seed S (default 1), --workers W (default 1), --deadline MS (default 10000),
// --from I (start at input I), --only I (check input I of the seed and print it), --no-save (do not write minimized failures to test/fuzz/regressions).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const campaignPath = join(root, 'out/test/fuzz/campaign.js');
if (!existsSync(campaignPath)) {
  console.error('out/test/fuzz/campaign.js is missing: run npx tsc -b first (npm run fuzz does).');
  process.exit(2);
}
const { runFuzz, makeInput } = require(campaignPath);
const { seedFiles } = require(join(root, 'out/test/fuzz/mutate.js'));
const { checkInput } = require(join(root, 'out/test/fuzz/checks.js'));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a non-negative integer, got ${process.argv[at + 1]}`);
    process.exit(2);
  }
  return value;
}

const count = option('count', 1000);
const seed = option('seed', 1);
const workers = Math.max(1, option('workers', 1));
const deadlineMs = option('deadline', 10000);
const only = option('only', -1);
const start = option('from', 0);

if (only >= 0) {
  const input = makeInput(seed, only, seedFiles(root));
  console.log(`input ${only} of seed ${seed}: ${input.origin}, ${input.fileName}, ${input.text.length} characters\n${input.text}`);
  console.log(JSON.stringify(checkInput(input.text, input.fileName), null, 2));
  process.exit(0);
}

const mb = (value) => `${value.toFixed(0)} MB`;
console.log(`fuzz: ${count} inputs from ${start}, seed ${seed}, ${workers} worker(s), deadline ${deadlineMs} ms per input`);
const summary = await runFuzz(root, {
  count,
  seed,
  start,
  workers,
  deadlineMs,
  saveDir: process.argv.includes('--no-save') ? undefined : join(root, 'test/fuzz/regressions'),
  progressEvery: 1000,
  onProgress: (done, s) => console.log(`  ${done}/${count}: ${s.failures.length} failures, ${''}peak RSS ${mb(s.peakRssMb)}`),
});

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
console.log(`\nmodel-lint ${version} fuzz, seed ${summary.seed}: ${summary.inputs} inputs in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
for (const [origin, n] of Object.entries(summary.byOrigin).sort()) console.log(`  ${origin}: ${n}`);
console.log(`  ${summary.diagnostics} diagnostics, ${summary.fixesChecked} fixes re-parsed and re-linted`);
const checks = ['exception', 'hang', 'crash', 'span', 'message', 'fix', 'determinism'];
console.log(`failures by check: ${checks.map((check) => `${summary.byCheck[check] ?? 0} ${check}`).join(', ')}`);
const bySignature = new Map();
for (const failure of summary.failures) {
  const entry = bySignature.get(failure.signature) ?? { count: 0, first: failure };
  entry.count++;
  bySignature.set(failure.signature, entry);
}
for (const [signature, { count: n, first }] of [...bySignature].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${n} × [${first.defect ?? 'NEW'}] ${signature}\n      first: input ${first.input.index} (${first.input.origin})`);
}
if (summary.slowest)
  console.log(`slowest input: ${summary.slowest.ms.toFixed(1)} ms, input ${summary.slowest.index} (${summary.slowest.origin})`);
console.log(`peak RSS: ${mb(summary.peakRssMb)}`);
if (summary.saved.length > 0)
  console.log(`saved ${summary.saved.length} minimized failure(s) to test/fuzz/regressions: ${summary.saved.join(', ')}`);
process.exit(summary.failures.length === 0 ? 0 : 1);
