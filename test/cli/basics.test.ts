// CLI basics: help, version, the rules listing, usage errors (exit 2) and the probe dispatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/engine/rules';
import { REPO_ROOT, runCli } from '../helpers/runCli';

test('--version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const run = runCli(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), version);
});

test('--help and lint --help exit 0 with usage; no command exits 2', () => {
  const help = runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /model-lint lint \[paths or globs\.\.\.\]/);
  const lintHelp = runCli(['lint', '--help']);
  assert.equal(lintHelp.code, 0);
  for (const flag of ['--format', '--fix', '--fix-dry-run', '--rule', '--max-warnings', '--config', '--summary', '--exit-zero']) {
    assert.ok(lintHelp.stdout.includes(flag), flag);
  }
  const bare = runCli([]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage:/);
  const unknown = runCli(['lnt']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'lnt'/);
});

test('usage errors exit 2 with a message naming the problem, before any file is read', () => {
  const cases: [string[], RegExp][] = [
    [['lint', '--format', 'xml', 'examples'], /--format must be one of text, json, sarif; got 'xml'/],
    [['lint', '--bogus'], /Unknown option '--bogus'/],
    [['lint', '--fix', '--fix-dry-run'], /cannot be used together/],
    [['lint', '--max-warnings', 'many'], /--max-warnings expects a whole number/],
    [['lint', '--max-warnings', '-2'], /--max-warnings expects a whole number/],
    [['lint', '--max-warnings'], /--max-warnings needs a value/],
    [['lint', '--rule', 'symmetric-init'], /--rule expects <rule-id>=<severity>/],
    [['lint', '--rule', 'symmetric-init=fatal'], /severity must be one of off, hint, info, warning, error/],
    [['lint', '--rule', 'no-such-rule=off'], /unknown rule id 'no-such-rule'/],
    [['lint', '--summary=yes'], /--summary takes no value/],
    [['lint', '--config', 'no-such-config.json', 'examples'], /--config no-such-config\.json: Cannot read the config file \(ENOENT\)/],
  ];
  for (const [args, message] of cases) {
    const run = runCli(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
  }
});

test('--flag=value and repeated --rule flags are accepted', () => {
  const run = runCli([
    'lint',
    '--format=json',
    '--rule=symmetric-init=off',
    '--rule',
    'init-scale-mismatch=off',
    '--rule',
    'glorot-with-relu=off',
    'examples/mnist-mlp-bad.ts',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const [file] = JSON.parse(run.stdout) as { diagnostics: unknown[] }[];
  assert.deepEqual(file.diagnostics, []);
});

test('rules lists every registered rule with its severity, in text and JSON', () => {
  assert.ok(RULES.length >= 9, 'the rule registry is populated');
  const text = runCli(['rules']);
  assert.equal(text.code, 0);
  for (const rule of RULES) assert.match(text.stdout, new RegExp(`^${rule.meta.id}\\s+${rule.meta.defaultSeverity}\\s`, 'm'));
  const json = runCli(['rules', '--format', 'json']);
  assert.equal(json.code, 0);
  const listed = JSON.parse(json.stdout) as { id: string; defaultSeverity: string; description: string }[];
  assert.deepEqual(
    listed.map((rule) => rule.id),
    RULES.map((rule) => rule.meta.id).sort(),
  );
  assert.equal(runCli(['rules', '--format', 'xml']).code, 2);
});

test('probe is dispatched to the probe command, or says it is not in this build', () => {
  const run = runCli(['probe', '--help']);
  if (run.stderr.includes('not available in this build')) {
    assert.equal(run.code, 2);
  } else {
    assert.notEqual(run.stdout + run.stderr, '');
    assert.doesNotMatch(run.stderr, /unknown command/);
  }
});
