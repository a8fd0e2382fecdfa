// Parity of registry, docs pages and test files, and that each page's examples behave as the page says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../server/src/engine/rules';
import { docsUrl } from '../../../common/src/rules';
import type { Thresholds } from '../../../server/src/engine/types';
import { lintWith, syntaxErrors } from './ruleTester';

// Compiled to out/test/engine/rules: the checkout root is four levels up.
const root = join(__dirname, '..', '..', '..', '..');
const docsDir = join(root, 'docs', 'rules');
const testsDir = join(root, 'test', 'engine', 'rules');

/** The headings every rule page has, in this order. */
const REQUIRED_HEADINGS = ['## What it does', '## Why it matters', '## Example', '## Use instead', '## Fix safety', '## References'];

/** The body of one `## ` section (up to the next `## ` heading). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(/\n## /);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The first ```ts block of a section. */
function tsBlock(body: string): string | null {
  const match = /```ts\n([\s\S]*?)```/.exec(body);
  return match ? match[1] : null;
}

/** Every ```python block of a section (a page may show a PyTorch and a Keras example). */
function pythonBlocks(body: string): string[] {
  return [...body.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/** The Python frameworks every rule page covers, each recognized by the imports of a ```python block. */
const FRAMEWORKS = [
  { name: 'PyTorch', imports: /^\s*(import torch\b|from torch\b)/m },
  { name: 'Keras', imports: /^\s*(import keras\b|from keras\b|import tensorflow\b|from tensorflow\b)/m },
] as const;

/**
 * What a page lacks in Python coverage: for each framework, an incorrect ```python example under "## Example" and a
 * corrected one under "## Use instead", or else a line "Not applicable to <framework>: <reason>" (and not both).
 * Each ```python block must import exactly one framework, so a block cannot count for both. Empty when complete.
 */
function pythonCoverageProblems(markdown: string): string[] {
  const problems: string[] = [];
  const blocks = {
    Example: pythonBlocks(section(markdown, '## Example')),
    'Use instead': pythonBlocks(section(markdown, '## Use instead')),
  };
  for (const [where, codes] of Object.entries(blocks)) {
    for (const [index, code] of codes.entries()) {
      const matched = FRAMEWORKS.filter((framework) => framework.imports.test(code)).map((framework) => framework.name);
      if (matched.length !== 1)
        problems.push(
          `python block ${index + 1} of "${where}" imports ${matched.length ? matched.join(' and ') : 'neither PyTorch nor Keras'}`,
        );
    }
  }
  for (const framework of FRAMEWORKS) {
    const notApplicable = new RegExp(`^Not applicable to ${framework.name}: (.+)$`, 'm').exec(markdown);
    const reason = notApplicable ? notApplicable[1].trim() : '';
    const inExample = blocks.Example.some((code) => framework.imports.test(code));
    const inUseInstead = blocks['Use instead'].some((code) => framework.imports.test(code));
    if (notApplicable) {
      if (reason.split(/\s+/).length < 5) problems.push(`"Not applicable to ${framework.name}:" needs a reason of a few words`);
      if (inExample || inUseInstead) problems.push(`${framework.name} is both "not applicable" and shown in an example`);
    } else {
      if (!inExample)
        problems.push(`no ${framework.name} example under "## Example" (or a line "Not applicable to ${framework.name}: <reason>")`);
      if (!inUseInstead) problems.push(`no corrected ${framework.name} example under "## Use instead"`);
    }
  }
  return problems;
}

/** Thresholds a page's example says it is flagged with: `"thresholds": {...}` in backticks. */
function exampleThresholds(body: string): Partial<Thresholds> | undefined {
  const match = /`("thresholds":\s*\{[^`]*\})`/.exec(body);
  return match ? (JSON.parse(`{${match[1]}}`) as { thresholds: Partial<Thresholds> }).thresholds : undefined;
}

test('the registry is sorted by id and ids are unique kebab-case', () => {
  const ids = RULES.map((rule) => rule.meta.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
});

test('every docs page and every rule test file belongs to a registered rule', () => {
  const ids = new Set(RULES.map((rule) => rule.meta.id));
  const pages = readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.slice(0, -3));
  const tests = readdirSync(testsDir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => name.slice(0, -'.test.ts'.length))
    .filter((name) => name !== 'docs' && name !== 'fixtures');
  assert.deepEqual(
    pages.filter((p) => !ids.has(p)),
    [],
    'docs pages without a rule',
  );
  assert.deepEqual(
    tests.filter((t) => !ids.has(t)),
    [],
    'rule test files without a rule',
  );
});

for (const rule of RULES) {
  const id = rule.meta.id;
  test(`${id}: metadata, docs page with all headings, test file`, () => {
    assert.ok(rule.meta.description.length > 20, 'a description');
    assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.meta.defaultSeverity));
    assert.equal(docsUrl(id).endsWith(`docs/rules/${id}.md`), true);
    const page = join(docsDir, `${id}.md`);
    assert.ok(existsSync(page), `docs/rules/${id}.md is missing`);
    assert.ok(existsSync(join(testsDir, `${id}.test.ts`)), `test/engine/rules/${id}.test.ts is missing`);
    const markdown = readFileSync(page, 'utf8');
    assert.ok(markdown.startsWith(`# ${id}\n`), 'the page starts with "# <rule-id>"');
    let previous = -1;
    for (const heading of REQUIRED_HEADINGS) {
      const at = markdown.indexOf(`\n${heading}\n`);
      assert.ok(at > previous, `heading "${heading}" missing or out of order`);
      previous = at;
    }
    assert.match(section(markdown, '## Why it matters'), /\d/, 'the reasons come with numbers');
    assert.match(section(markdown, '## Example'), /[Ii]ncorrect/, 'the example is marked incorrect');
  });

  test(`${id}: the page shows a PyTorch and a Keras example, or says why one does not apply`, () => {
    const markdown = readFileSync(join(docsDir, `${id}.md`), 'utf8');
    assert.deepEqual(pythonCoverageProblems(markdown), []);
  });

  test(`${id}: the page's incorrect example is flagged and its correct example is not`, () => {
    const markdown = readFileSync(join(docsDir, `${id}.md`), 'utf8');
    const exampleSection = section(markdown, '## Example');
    const incorrect = tsBlock(exampleSection);
    const correct = tsBlock(section(markdown, '## Use instead'));
    assert.ok(incorrect && correct, 'both sections hold a ```ts block');
    const thresholds = exampleThresholds(exampleSection);
    for (const [label, code] of [
      ['incorrect', incorrect],
      ['correct', correct],
    ] as const) {
      assert.deepEqual(syntaxErrors(code, `${label}.ts`), [], `the ${label} example parses`);
    }
    assert.ok(lintWith(id, incorrect, 'incorrect.ts', thresholds).length > 0, 'the incorrect example is flagged');
    assert.deepEqual(
      lintWith(id, correct, 'correct.ts', thresholds).map((d) => d.message),
      [],
      'the correct example is not flagged',
    );
    // Python examples (PyTorch, Keras): each incorrect one flagged, each correct one not.
    for (const [index, code] of pythonBlocks(exampleSection).entries()) {
      assert.deepEqual(syntaxErrors(code, 'incorrect.py'), [], `python example ${index + 1} parses`);
      assert.ok(lintWith(id, code, 'incorrect.py', thresholds).length > 0, `the incorrect python example ${index + 1} is flagged`);
    }
    for (const [index, code] of pythonBlocks(section(markdown, '## Use instead')).entries()) {
      assert.deepEqual(syntaxErrors(code, 'correct.py'), [], `python example ${index + 1} parses`);
      assert.deepEqual(
        lintWith(id, code, 'correct.py', thresholds).map((d) => d.message),
        [],
        `the correct python example ${index + 1} is not flagged`,
      );
    }
  });
}

test('the Python coverage check rejects pages that miss a framework, mix them, or give no reason', () => {
  const page = (example: string, useInstead: string, extra = '') =>
    `# r\n\n## Example\n\nIncorrect:\n\n${example}\n${extra}\n## Use instead\n\n${useInstead}\n## Fix safety\n\nx\n`;
  const torch = '```python\nimport torch.nn as nn\nmodel = nn.Linear(2, 2)\n```\n';
  const keras = '```python\nimport keras\nmodel = keras.Sequential([])\n```\n';
  assert.deepEqual(pythonCoverageProblems(page(torch + keras, torch + keras)), []);
  assert.deepEqual(
    pythonCoverageProblems(page(torch, torch, 'Not applicable to Keras: the rule reads only what Keras never writes.\n')),
    [],
  );
  assert.equal(pythonCoverageProblems(page('', '')).length, 4);
  assert.match(pythonCoverageProblems(page(torch, torch)).join('\n'), /no Keras example/);
  assert.match(pythonCoverageProblems(page(torch + keras, torch)).join('\n'), /no corrected Keras example/);
  assert.match(pythonCoverageProblems(page(torch, torch, 'Not applicable to Keras: no.\n')).join('\n'), /needs a reason/);
  assert.match(
    pythonCoverageProblems(page(torch + keras, torch + keras, 'Not applicable to Keras: the rule reads only TF.js layers here.\n')).join(
      '\n',
    ),
    /both/,
  );
  const mixed = '```python\nimport torch\nimport keras\n```\n';
  assert.match(pythonCoverageProblems(page(mixed, mixed)).join('\n'), /imports PyTorch and Keras/);
});

test('the README rules table lists every rule with its default severity and docs link', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = section(readme, '## Rules');
  for (const rule of RULES) {
    const row = table.split('\n').find((line) => line.startsWith(`| [\`${rule.meta.id}\`](docs/rules/${rule.meta.id}.md)`));
    assert.ok(row, `README row for ${rule.meta.id}`);
    assert.ok(row.includes(`| ${rule.meta.defaultSeverity}`), `README severity of ${rule.meta.id}`);
    assert.ok(
      row.includes(rule.meta.fixable === 'safe' ? '| safe' : rule.meta.fixable === 'suggestion' ? '| suggestion' : '| —'),
      `README fix column of ${rule.meta.id}`,
    );
  }
});
