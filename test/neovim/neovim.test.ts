// A second real LSP client: headless Neovim (0.7+) gets model-lint diagnostics from the bin over stdio and runs the probe lens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { after, it } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { requireTool } from '../helpers/externalTools';
import { REPO_ROOT } from '../lsp/lspClient';

const workFolder = (() => {
  const base = join(REPO_ROOT, 'test-output');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'neovim-'));
})();
after(() => rmSync(workFolder, { recursive: true, force: true }));

/** Rule ids the engine itself finds in an example (what Neovim must show). */
function engineRuleIds(example: string): string[] {
  const path = join(REPO_ROOT, 'examples', example);
  return [...new Set(analyze(readFileSync(path, 'utf8'), path).diagnostics.map((d) => d.ruleId))].sort();
}

function shownRuleIds(lines: string[]): string[] {
  return [...new Set(lines.map((line) => line.split(' ')[2]!))].sort();
}

function nvimVersion(): string | null {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.split('\n')[0]! : null;
}

const NEOVIM = { name: 'Neovim (nvim, 0.7 or later)', install: 'apt-get install -y neovim' };

/** Opens one example model in headless Neovim with the server attached; returns the printed diagnostic lines. */
function diagnosticsInNeovim(
  example: string,
  settings?: object,
): { lines: string[]; filetype: string | undefined; output: string; status: number | null } {
  const file = join(workFolder, example);
  copyFileSync(join(REPO_ROOT, 'examples', example), file);
  const run = spawnSync(
    'nvim',
    ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(REPO_ROOT, 'test', 'neovim', 'diagnostics.lua')}`, file],
    {
      encoding: 'utf8',
      cwd: workFolder,
      timeout: 60_000,
      env: {
        ...process.env,
        MODEL_LINT_SERVER: join(REPO_ROOT, 'bin', 'model-lint-language-server.js'),
        MODEL_LINT_NODE: process.execPath,
        ...(settings ? { MODEL_LINT_SETTINGS: JSON.stringify(settings) } : {}),
      },
    },
  );
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const filetype = /^filetype (\S*)$/m.exec(output)?.[1];
  return { lines: output.split('\n').filter((line) => line.startsWith('diagnostic ')), filetype, output, status: run.status };
}

it('Neovim 0.7 headless receives model-lint diagnostics for example models', (t) => {
  const version = nvimVersion();
  if (!requireTool(t, NEOVIM, version !== null)) return;
  // The .py case: Neovim's filetype detection maps .py to the filetype `python`, which it sends as the language id.
  for (const example of ['mnist-mlp-bad.ts', 'keras-cnn.json', 'pytorch-mlp-bad.py']) {
    const expected = engineRuleIds(example);
    assert.ok(expected.length > 0, `${example} should have problems for this test to mean anything`);
    const shown = diagnosticsInNeovim(example);
    assert.equal(shown.status, 0, `nvim failed on ${example} (${version}):\n${shown.output}`);
    assert.ok(
      shown.lines.every((line) => / \[model-lint\] /.test(line)),
      shown.output,
    );
    assert.deepEqual(shownRuleIds(shown.lines), expected, shown.output);
    assert.equal(shown.filetype, { ts: 'typescript', json: 'json', py: 'python' }[example.split('.').pop()!], shown.output);
  }
  // Settings handed over by the client apply: one rule turned off disappears, the others stay.
  const expected = engineRuleIds('lstm-text.ts');
  assert.ok(expected.includes('recurrent-init') && expected.length > 1, `lstm-text.ts rules: ${expected.join(', ')}`);
  const configured = diagnosticsInNeovim('lstm-text.ts', { rules: { 'recurrent-init': 'off' } });
  assert.equal(configured.status, 0, configured.output);
  assert.deepEqual(
    shownRuleIds(configured.lines),
    expected.filter((id) => id !== 'recurrent-init'),
    configured.output,
  );
});

it('Neovim 0.7 runs the "Probe gradients" lens through the server command and gets the report', (t) => {
  const version = nvimVersion();
  if (!requireTool(t, NEOVIM, version !== null)) return;
  const file = join(workFolder, 'probe-bad.ts');
  writeFileSync(
    file,
    `import * as tf from '@tensorflow/tfjs';

export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
`,
  );
  const run = spawnSync(
    'nvim',
    ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(REPO_ROOT, 'test', 'neovim', 'probe.lua')}`, file],
    {
      encoding: 'utf8',
      cwd: workFolder,
      timeout: 90_000,
      env: {
        ...process.env,
        MODEL_LINT_SERVER: join(REPO_ROOT, 'bin', 'model-lint-language-server.js'),
        MODEL_LINT_NODE: process.execPath,
      },
    },
  );
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  assert.equal(run.status, 0, `nvim failed (${version}):\n${output}`);
  const lines = output.split('\n');
  // Neovim sends no initializationOptions, so the lens carries the server's command and Neovim's codelens.run executes it.
  assert.ok(lines.includes('lens modelLint.probe'), output);
  assert.ok(
    lines.some((line) => /^probe-backend (wasm|cpu|tensorflow)$/.test(line)),
    output,
  );
  const model = lines.find((line) => line.startsWith('probe-model model '));
  assert.match(model ?? '', /layers=3 gradNorms=3 findings=\S*symmetric\S* fixed=(?!none)/, output);
  assert.ok(
    lines.some((line) => /^show-message 2 model-lint probe of 'model' /.test(line)),
    output,
  );
  assert.ok(lines.includes('progress-done 1'), output);
});
