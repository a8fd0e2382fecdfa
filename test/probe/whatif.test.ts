// The what-if probe through the real engine (TS source -> analyze -> fixes -> re-analyse) and the probe CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedVariant, runProbeRequest } from '../../server/src/probe/runner';
import { reportText } from '../../server/src/probe/format';

const ZEROS = `import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({ units: 32, inputShape: [16], activation: 'relu', kernelInitializer: 'zeros' }));
model.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'zeros' }));
model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
`;

const EXPLODING = `import * as tf from '@tensorflow/tfjs';

const wide = tf.sequential();
wide.add(tf.layers.dense({ units: 512, inputShape: [512], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 }) }));
wide.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 }) }));
wide.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 }) }));
wide.add(tf.layers.dense({ units: 8 }));
`;

const SIGMOID = `import * as tf from '@tensorflow/tfjs';

const deep = tf.sequential();
deep.add(tf.layers.dense({ units: 32, inputShape: [32], activation: 'sigmoid', kernelInitializer: 'randomNormal' }));
for (let i = 0; i < 9; i++) {
  deep.add(tf.layers.dense({ units: 32, activation: 'sigmoid', kernelInitializer: 'randomNormal' }));
}
deep.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
`;

const HE_RELU = `import * as tf from '@tensorflow/tfjs';

const he = tf.sequential();
he.add(tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal' }));
he.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
he.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
he.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
`;

const OPTIONS = { steps: 4, batchSize: 16, seed: 2 };
const ids = (run: { findings: { id: string }[] }): string[] => [...new Set(run.findings.map((f) => f.id))].sort();

describe('what-if probe through the engine', () => {
  it('zeros kernel: symmetric as written, healthy with the fixes; lines are 1-based', async () => {
    const report = await runProbeRequest({ text: ZEROS, fileName: 'zeros.ts', backend: 'wasm', compareFixed: true, options: OPTIONS });
    const [model] = report.models;
    assert.equal(report.backend, 'wasm');
    assert.equal(model.line, 3);
    assert.deepEqual(
      model.layers.map((l) => l.line),
      [4, 5, 6],
    );
    assert.ok(ids(model).includes('symmetric'), JSON.stringify(model.findings));
    assert.deepEqual(ids(model.fixed!), [], JSON.stringify(model.fixed!.findings));
  });

  it('randomNormal std 1 on 512-wide ReLU: exploding as written, healthy with the fixes', async () => {
    const report = await runProbeRequest({
      text: EXPLODING,
      fileName: 'wide.ts',
      backend: 'wasm',
      compareFixed: true,
      options: { ...OPTIONS, steps: 3 },
    });
    const [model] = report.models;
    assert.ok(ids(model).includes('exploding'), JSON.stringify(model.findings));
    assert.deepEqual(ids(model.fixed!), [], JSON.stringify(model.fixed!.findings));
  });

  it("10 sigmoid layers: vanishing as written; healthy with the fixes and the gradient rule's suggestion, which the report labels", async () => {
    const report = await runProbeRequest({ text: SIGMOID, fileName: 'deep.ts', backend: 'wasm', compareFixed: true, options: OPTIONS });
    const [model] = report.models;
    assert.equal(model.layers.length, 11, 'the loop is unrolled into 9 layers');
    assert.ok(ids(model).includes('vanishing'), JSON.stringify(model.findings));
    assert.deepEqual(ids(model.fixed!), [], JSON.stringify(model.fixed!.findings));
    assert.ok(model.fixed!.gradientRatio! > 1e4 * model.gradientRatio!, `ratio ${model.gradientRatio} -> ${model.fixed!.gradientRatio}`);
    const label = model.fixed!.assumptions.find((a) => a.startsWith('Fixed variant: suggestions applied'));
    assert.ok(
      label &&
        /design changes, not safe fixes/.test(label) &&
        /relu with heNormal in the 10 hidden sigmoid layers \(changes the model's design\) \[vanishing-gradient-predicted\]/.test(label),
      JSON.stringify(model.fixed!.assumptions),
    );
  });

  it('He + ReLU: healthy as written; no fix applies, so the fixed variant is the same model and healthy too', async () => {
    const report = await runProbeRequest({ text: HE_RELU, fileName: 'he.ts', backend: 'wasm', compareFixed: true, options: OPTIONS });
    const [model] = report.models;
    assert.deepEqual(ids(model), [], JSON.stringify(model.findings));
    assert.deepEqual(ids(model.fixed!), [], JSON.stringify(model.fixed!.findings));
    assert.deepEqual(model.fixed!.loss, model.loss);
  });

  it('why a backend was not used is said once with the backend, not as an assumption of every model', async (t) => {
    const report = await runProbeRequest({
      text: HE_RELU,
      fileName: 'he.ts',
      backend: 'auto',
      compareFixed: true,
      options: { ...OPTIONS, steps: 1 },
    });
    if (report.backend !== 'wasm') return t.skip(`tfjs-node is installed here (backend ${report.backend}): no note to show`);
    assert.ok(
      report.backendNotes?.some((note) => /tfjs-node not used/.test(note)),
      JSON.stringify(report.backendNotes),
    );
    for (const run of [report.models[0], report.models[0].fixed!])
      assert.ok(!run.assumptions.some((a) => /tfjs-node/.test(a)), JSON.stringify(run.assumptions));
    const text = reportText(report, 'he.ts').split('\n');
    assert.equal(text[0], 'probe backend: wasm');
    assert.match(text[1], /^ {2}tfjs-node not used/);
  });

  it('the fixed variant applies safe fixes and labels suggestions apart', () => {
    const zeros = fixedVariant(ZEROS, 'zeros.ts');
    assert.ok(zeros.applied.length > 0 && zeros.applied.every((a) => a.kind === 'safe fix'), JSON.stringify(zeros.applied));
    const deep = fixedVariant(SIGMOID, 'deep.ts');
    assert.deepEqual(
      deep.applied.filter((a) => a.kind === 'suggestion').map((a) => a.ruleId),
      ['vanishing-gradient-predicted'],
    );
    assert.equal((deep.text.match(/activation: 'relu', kernelInitializer: 'heNormal'/g) ?? []).length, 2, deep.text);
    assert.match(deep.text, /activation: 'softmax'/);
  });
});

describe('model-lint probe (CLI)', () => {
  let dir = '';
  const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const script = 'require(process.argv[1]).runProbeCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; })';
    const result = spawnSync(process.execPath, ['-e', script, join(__dirname, '../../server/src/cli/probe.js'), ...args], {
      encoding: 'utf8',
      cwd: dir,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  before(() => {
    mkdirSync(tmpdir(), { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'model-lint-probe-cli-'));
    writeFileSync(join(dir, 'zeros.ts'), ZEROS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('usage errors exit 2 with a reason', () => {
    for (const [args, reason] of [
      [[], /probe needs a FILE/],
      [['zeros.ts', '--steps', '0'], /--steps expects a whole number of at least 1/],
      [['zeros.ts', '--backend', 'gpu'], /--backend must be auto, node, wasm or cpu/],
      [['zeros.ts', '--format', 'xml'], /--format must be text, json or html/],
      [['zeros.ts', '--bogus'], /unknown option '--bogus'/],
      [['missing.ts'], /cannot read missing\.ts/],
      [['zeros.ts', '--input-shape', '28,0'], /--input-shape expects positive integers/],
      [['zeros.ts', '--input-shape', '28,,1'], /--input-shape expects positive integers/],
    ] as const) {
      const result = cli(...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, reason);
    }
  });

  it('--input-shape supplies the shape a model does not state', () => {
    writeFileSync(
      join(dir, 'noshape.ts'),
      "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 4, activation: 'relu'}));\nm.add(tf.layers.dense({units: 1}));\n",
    );
    const without = cli('noshape.ts', '--format', 'json', '--steps', '2', '--batch', '4', '--backend', 'wasm');
    assert.match(without.stdout + without.stderr, /input shape of model .* cannot be found/);
    const given = cli(
      'noshape.ts',
      '--format',
      'json',
      '--steps',
      '2',
      '--batch',
      '4',
      '--backend',
      'wasm',
      '--input-shape',
      '6',
      '--exit-zero',
    );
    assert.equal(given.status, 0, given.stderr);
    assert.equal(JSON.parse(given.stdout).models[0].layers.length, 2);
  });

  it('--format json prints the issue shape, with fixed under --compare-fixed; findings exit 1', () => {
    const result = cli('zeros.ts', '--format', 'json', '--steps', '3', '--batch', '8', '--compare-fixed', '--backend', 'wasm');
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(json), ['backend', 'models']);
    assert.equal(json.backend, 'wasm');
    const [model] = json.models;
    assert.deepEqual(Object.keys(model).sort(), ['findings', 'fixed', 'layers', 'line', 'loss', 'name', 'timing']);
    assert.deepEqual(Object.keys(model.layers[0]), [
      'name',
      'type',
      'line',
      'gradNorm',
      'activationStd',
      'deadFraction',
      'saturatedFraction',
    ]);
    assert.deepEqual(Object.keys(model.timing), ['buildMs', 'stepMs']);
    assert.equal(model.loss.length, 3);
    assert.deepEqual(Object.keys(model.fixed).sort(), ['findings', 'layers', 'loss', 'timing']);
    assert.equal(model.fixed.findings.length, 0);
    const zero = cli('zeros.ts', '--format', 'json', '--steps', '2', '--batch', '8', '--backend', 'wasm', '--exit-zero');
    assert.equal(zero.status, 0, zero.stderr);
    assert.ok(JSON.parse(zero.stdout).models[0].findings.length > 0, '--exit-zero keeps the findings in the report');
  });

  it('--format html --out writes a self-contained page with Chart.js inlined and no remote content', () => {
    const result = cli(
      'zeros.ts',
      '--format',
      'html',
      '--out',
      'report.html',
      '--steps',
      '2',
      '--batch',
      '8',
      '--compare-fixed',
      '--backend',
      'wasm',
    );
    assert.equal(result.status, 1, result.stderr);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /<script type="application\/json" id="probe-data">/);
    assert.ok(html.includes('new Chart(') && /Chart\.js v?4/.test(html), 'Chart.js UMD inlined');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/[^\s"']*\.(js|css)/);
  });
});
