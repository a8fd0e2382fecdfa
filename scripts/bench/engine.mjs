// Engine benchmark: analyze() on a generated 2,000-line TS file (20 models) and a 1 MB model.json, against the parsers it builds on.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const apiPath = join(root, 'dist/api.js');
if (!existsSync(apiPath)) {
  console.error('dist/api.js is missing: run npm run build first (npm run bench does).');
  process.exit(2);
}
const { analyze, parseModels } = require(apiPath);
const ts = require('typescript');
const { parser: pythonParser } = require('@lezer/python');
const { generatePythonModule } = await import('./pythonModule.mjs');
const jsonc = require('jsonc-parser');

const TS_LINES = 2000;
const TS_MODELS = 20;
const JSON_BYTES = 1_000_000;
const WARMUP_RUNS = 20;
const MEASURED_RUNS = 41;
const TARGET_RATIO = 2;
/**
 * Issue 12: the TS front end (text to models: its own parse, the index, the reading) within 1.5x of TypeScript's parse
 * with parent pointers, what the editor's language service does on every keystroke anyway (goal 1.3).
 */
const TS_FRONT_END_TARGET = 1.5;
/**
 * The TS rows are measured in this many fresh Node processes, and judged on the median of their ratios. For one build,
 * one process's ratio differed from the next one's by up to a fifth (1.31 to 1.84 against the parse with parent
 * pointers; the parse with TypeScript's defaults alone took 12.5 to 18.8 ms): how the JIT and the garbage collector
 * settle in a process weighs as much as a change to the engine, so one process decides nothing. With 5 processes, 6
 * of 25 (five runs of one build) were above 1.5 on the front-end row while their median was 1.35, and one run's median
 * of 5 printed 1.51: 9 keep the printed median near the build's own.
 */
const TS_PROCESSES = 9;
const TS_CHILD_FLAG = '--ts-rows-child';

/** Deterministic pseudo-random numbers, so every run measures the same text. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear'];
const INITIALIZERS = ['heNormal', 'glorotUniform', 'leCunNormal', 'glorotNormal', 'heUniform', 'zeros'];

/** One layer of a generated model, one property per line as formatters write them. */
function denseLayer(random, indent, first) {
  const lines = [`${indent}tf.layers.dense({`];
  if (first) lines.push(`${indent}  inputShape: [${16 + Math.floor(random() * 512)}],`);
  lines.push(
    `${indent}  units: ${8 * (1 + Math.floor(random() * 32))},`,
    `${indent}  activation: '${ACTIVATIONS[Math.floor(random() * ACTIVATIONS.length)]}',`,
    `${indent}  kernelInitializer: '${INITIALIZERS[Math.floor(random() * INITIALIZERS.length)]}',`,
    `${indent}  useBias: true,`,
    `${indent}})`,
  );
  return lines;
}

/** A 2,000-line TS module with 20 models in the three styles users write (add calls, layers array, functional). */
function generateTypeScript() {
  const random = seededRandom(42);
  const lines = ['// Generated benchmark input: many TF.js models in one module.', "import * as tf from '@tensorflow/tfjs';", ''];
  const perModel = Math.floor((TS_LINES - 3) / TS_MODELS);
  for (let m = 0; m < TS_MODELS; m++) {
    const body = [];
    const style = m % 3;
    if (style === 0) {
      body.push(`export function buildModel${m}(): tf.Sequential {`, '  const model = tf.sequential();');
      for (let l = 0; body.length < perModel - 8; l++) {
        const layer = denseLayer(random, '  ', l === 0);
        layer[0] = `  model.add(${layer[0].trimStart()}`;
        layer[layer.length - 1] += ');';
        body.push(...layer);
      }
      body.push("  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });", '  return model;', '}');
    } else if (style === 1) {
      body.push(`export const model${m} = tf.sequential({`, '  layers: [');
      for (let l = 0; body.length < perModel - 6; l++) {
        const layer = denseLayer(random, '    ', l === 0);
        layer[layer.length - 1] += ',';
        body.push(...layer);
      }
      body.push('  ],', '});');
    } else {
      body.push(`export function buildFunctional${m}(): tf.LayersModel {`, `  const input${m} = tf.input({ shape: [${32 + m}] });`);
      let previous = `input${m}`;
      for (let l = 0; body.length < perModel - 6; l++) {
        const layer = denseLayer(random, '  ', false);
        layer[0] = `  const h${m}_${l} = ${layer[0].trimStart()}`;
        layer[layer.length - 1] += `.apply(${previous}) as tf.SymbolicTensor;`;
        body.push(...layer);
        previous = `h${m}_${l}`;
      }
      body.push(`  return tf.model({ inputs: input${m}, outputs: ${previous} });`, '}');
    }
    body.push('');
    lines.push(...body);
  }
  while (lines.length < TS_LINES) lines.push(`console.log('model count', ${lines.length});`);
  return lines.slice(0, TS_LINES).join('\n') + '\n';
}

/** A Keras 2 functional model.json (residual CNN topology) of about 1 MB, as model.to_json(indent=2) writes it. */
function generateModelJson() {
  const layers = [
    {
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, 224, 224, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' },
      name: 'input_1',
      inbound_nodes: [],
    },
  ];
  const initializer = (cls) => ({ class_name: cls, config: { seed: null } });
  let previous = 'input_1';
  let block = 0;
  const push = (className, name, config, inbound) => {
    layers.push({
      class_name: className,
      config: { name, trainable: true, dtype: 'float32', ...config },
      name,
      inbound_nodes: [[...inbound.map((source) => [source, 0, 0, {}])]],
    });
  };
  const text = () =>
    JSON.stringify(
      {
        class_name: 'Functional',
        config: { name: 'resnet_generated', layers, input_layers: [['input_1', 0, 0]], output_layers: [[previous, 0, 0]] },
        keras_version: '2.15.0',
        backend: 'tensorflow',
      },
      null,
      2,
    );
  while (block % 8 !== 0 || text().length < JSON_BYTES) {
    const conv = `conv${block}`;
    push(
      'Conv2D',
      conv,
      {
        filters: 64,
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: 'same',
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        groups: 1,
        activation: 'linear',
        use_bias: false,
        kernel_initializer: initializer(block % 5 === 0 ? 'GlorotUniform' : 'HeNormal'),
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
      [previous],
    );
    push(
      'BatchNormalization',
      `bn${block}`,
      {
        axis: [3],
        momentum: 0.99,
        epsilon: 0.001,
        center: true,
        scale: true,
        beta_initializer: { class_name: 'Zeros', config: {} },
        gamma_initializer: { class_name: 'Ones', config: {} },
        moving_mean_initializer: { class_name: 'Zeros', config: {} },
        moving_variance_initializer: { class_name: 'Ones', config: {} },
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
      },
      [conv],
    );
    push('Activation', `relu${block}`, { activation: 'relu' }, [`bn${block}`]);
    if (block > 0 && block % 2 === 1) {
      push('Add', `add${block}`, {}, [`relu${block}`, previous]);
      previous = `add${block}`;
    } else previous = `relu${block}`;
    block++;
  }
  return text();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Median wall times of the engine and of its reference over the measured runs, after warm-up runs (JIT, caches).
 * The two alternate run by run, so a change in machine load affects both alike and the ratio stays fair. A
 * full gc() precedes every timed run, so neither pays for the other's garbage; V8 then also drops the optimized code
 * that checked the hidden classes of the last syntax tree, so each run re-warms (see ARCHITECTURE.md).
 */
function measurePair(engineRun, referenceRun) {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    engineRun();
    referenceRun();
  }
  const engineTimes = [];
  const referenceTimes = [];
  const timed = (fn, into) => {
    globalThis.gc?.();
    const start = performance.now();
    fn();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < MEASURED_RUNS; i++) {
    timed(engineRun, engineTimes);
    timed(referenceRun, referenceTimes);
  }
  return { engine: median(engineTimes), reference: median(referenceTimes) };
}

function formatMs(ms) {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

const tsText = generateTypeScript();
const tsProbe = analyze(tsText, 'bench-models.ts');
/** Layers of an analysis result's models, or of a front end's models (what parseModels returns). */
const layerCount = (result) => result.models.reduce((sum, entry) => sum + (entry.model ?? entry).layers.length, 0);

const rows = [];
const tsName = `${tsText.split('\n').length - 1} lines, ${TS_MODELS} models`;
const tsFound = `${tsProbe.models.length} models, ${layerCount(tsProbe)} layers, ${tsProbe.diagnostics.length} diagnostics`;
const frontEndProbe = parseModels(tsText, 'bench-models.ts');
const frontEndFound = `${frontEndProbe.models.length} models, ${layerCount(frontEndProbe)} layers`;
const parseTs = (setParentNodes) =>
  ts.createSourceFile('bench-models.ts', tsText, ts.ScriptTarget.Latest, setParentNodes, ts.ScriptKind.TS);
const analyzeTs = () => analyze(tsText, 'bench-models.ts');
// The TS front end alone: text to models (its own parse, the index, the reading: what frontends/ts does).
const frontEndTs = () => parseModels(tsText, 'bench-models.ts');
// References: TypeScript's parse with its defaults (no parent pointers: how the engine itself parses; issue 2's
// target for the whole analysis), and with parent pointers, as TypeScript's language service, and so the editor,
// parses anyway. Against the latter: the whole analysis for information, and the front end alone (issue 12's target).
const TS_ROWS = [
  ['TS analysis', analyzeTs, tsFound, false, TARGET_RATIO],
  ['TS analysis', analyzeTs, tsFound, true, null],
  ['TS front end', frontEndTs, frontEndFound, true, TS_FRONT_END_TARGET],
];

// A child process measures the TS rows once and hands its medians to the parent (see TS_PROCESSES).
if (process.argv.includes(TS_CHILD_FLAG)) {
  const measured = TS_ROWS.map(([, run, , parentPointers]) => measurePair(run, () => parseTs(parentPointers)));
  process.stdout.write(JSON.stringify(measured));
  process.exit(0);
}

// The other inputs only the parent process needs.
const jsonText = generateModelJson();
const pyText = generatePythonModule({ lines: 2000, models: 20 }).text;

// --dump <folder> writes the generated inputs, to look at them or lint them with the CLI.
const dumpIndex = process.argv.indexOf('--dump');
if (dumpIndex > 0 && process.argv[dumpIndex + 1]) {
  const folder = process.argv[dumpIndex + 1];
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'bench-models.ts'), tsText);
  writeFileSync(join(folder, 'model.json'), jsonText);
  writeFileSync(join(folder, 'bench-models.py'), pyText);
}
const jsonProbe = analyze(jsonText, 'model.json');

const tsMeasures = [];
for (let i = 0; i < TS_PROCESSES; i++) {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), TS_CHILD_FLAG], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    console.error(`The TS measuring process exited with ${child.status ?? child.signal}:\n${child.stderr}`);
    process.exit(1);
  }
  tsMeasures.push(JSON.parse(child.stdout));
}
TS_ROWS.forEach(([label, , found, parentPointers, target], row) => {
  const runs = tsMeasures.map((measured) => measured[row]);
  rows.push({
    name: `${label}: ${tsName}`,
    found,
    engine: median(runs.map((run) => run.engine)),
    referenceName: `ts.createSourceFile (${parentPointers ? 'parent pointers' : 'defaults'})`,
    reference: median(runs.map((run) => run.reference)),
    ratio: median(runs.map((run) => run.engine / run.reference)),
    ratios: runs.map((run) => run.engine / run.reference),
    target,
  });
});
{
  const { engine, reference } = measurePair(
    () => analyze(jsonText, 'model.json'),
    () => jsonc.parse(jsonText, [], { allowTrailingComma: true }),
  );
  rows.push({
    name: `JSON: ${(jsonText.length / 1e6).toFixed(2)} MB model.json`,
    found: `${jsonProbe.models.length} models, ${layerCount(jsonProbe)} layers, ${jsonProbe.diagnostics.length} diagnostics`,
    engine,
    referenceName: 'jsonc-parser parse',
    reference,
  });
}

{
  // Python: the whole analysis against the chosen parser's own parse of the same file (issue target: <= 2x).
  const pyProbe = analyze(pyText, 'bench-models.py');
  const { engine, reference } = measurePair(
    () => analyze(pyText, 'bench-models.py'),
    () => pythonParser.parse(pyText),
  );
  rows.push({
    name: `Python: ${pyText.split('\n').length - 1} lines, 20 models`,
    found: `${pyProbe.models.length} models, ${layerCount(pyProbe)} layers, ${pyProbe.diagnostics.length} diagnostics`,
    engine,
    referenceName: '@lezer/python parse',
    reference,
  });
}

console.log(
  `analyze() from dist/api.js; median of ${MEASURED_RUNS} runs after ${WARMUP_RUNS} warm-up runs, engine and reference alternating in the same process;`,
);
console.log(`TS rows: measured so in ${TS_PROCESSES} fresh processes, medians across them (ratio: the median of the processes' ratios).`);
const header = ['input', 'engine median', 'reference', 'reference median', 'ratio', 'target', 'result'];
const table = [
  header,
  ...rows.map((row) => {
    const ratio = row.ratio ?? row.engine / row.reference;
    const target = row.target === undefined ? TARGET_RATIO : row.target;
    return [
      row.name,
      formatMs(row.engine),
      row.referenceName,
      formatMs(row.reference),
      ratio.toFixed(2),
      target === null ? '-' : `<= ${target}`,
      target === null ? 'info' : ratio <= target ? 'PASS' : 'MISS',
    ];
  }),
];
const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
for (const row of table)
  console.log(
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
for (const row of new Map(rows.map((row) => [row.name, row])).values()) console.log(`${row.name}: found ${row.found}.`);
for (const row of rows.filter((row) => row.ratios)) {
  console.log(`${row.name} vs ${row.referenceName}: ratio per process ${row.ratios.map((ratio) => ratio.toFixed(2)).join(', ')}.`);
}
if (rows.some((row) => row.found.startsWith('0 models'))) {
  console.log('Note: an input where the engine found no model measures only the cheap pre-check, not a real analysis.');
}
