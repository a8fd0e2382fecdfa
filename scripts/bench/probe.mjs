// Probe speed on the wasm backend: gradient step vs forward pass, a 20-step probe, a small CNN; the library's kernels
// vs the project's kernel fixes without and with the gemm kernels.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const tf = require('@tensorflow/tfjs');
const { selectBackend } = require(join(root, 'out/server/src/probe/backend.js'));
const { installWasmKernelFixes, uninstallWasmKernelFixes, gemmProductCount } = require(join(root, 'out/server/src/probe/wasmKernels.js'));
const { probeModel } = require(join(root, 'out/server/src/probe/training.js'));
const zoo = require(join(root, 'out/test/probe/zoo.js'));

const { loadavg } = await import('node:os');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadAtStart = load();
const choice = await selectBackend('wasm');
console.log(`backend: ${choice.backend}`);

/** Median of `runs` timed calls after `warmup` untimed ones (ms). */
function time(fn, runs = 10, warmup = 3) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Total kernel time by kernel name over one call (tf.profile). */
async function kernelShare(fn, name) {
  const profile = await tf.profile(fn);
  let total = 0;
  let named = 0;
  for (const k of profile.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    total += ms;
    if (k.name === name) named += ms;
  }
  return { total, named };
}

function mlpModel() {
  const model = tf.sequential();
  for (let i = 0; i < 10; i++) {
    model.add(
      tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [256] } : {}) }),
    );
  }
  return model;
}

function cnnModel() {
  const model = tf.sequential();
  for (let i = 0; i < 6; i++) {
    model.add(
      tf.layers.conv2d({
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: 'heNormal',
        ...(i === 0 ? { inputShape: [32, 32, 3] } : {}),
      }),
    );
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** Forward and SGD-step timings of a tf.sequential model on fixed data. */
async function stepVsForward(makeModel, xShape, yShape, loss) {
  const model = makeModel();
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 1);
  const y = tf.randomNormal(yShape, 0, 1, 'float32', 2);
  const optimizer = tf.train.sgd(0.001);
  const forward = () =>
    tf.tidy(() => {
      model.predict(x).dataSync();
    });
  const step = () => {
    const value = optimizer.minimize(() => loss(y, model.apply(x, { training: true })), true);
    value.dataSync();
    value.dispose();
  };
  const result = { forward: time(forward, 20), step: NaN, matmulShare: NaN, error: null };
  try {
    // Counted on the second step: the first one multiplies the weights the forward timing used (already packed).
    step();
    const productsBefore = gemmProductCount();
    step();
    result.gemmProducts = gemmProductCount() - productsBefore;
    result.step = time(step, 10, 2);
    const share = await kernelShare(step, 'BatchMatMul');
    result.matmulMs = share.named;
  } catch (error) {
    result.error = error.message.split('\n')[0];
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return result;
}

const mse = (y, p) => tf.losses.meanSquaredError(y, p);
const cce = (y, p) => tf.losses.softmaxCrossEntropy(y, p);
const rows = [];
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');

const CONFIGS = [
  { label: 'library', install: false },
  { label: 'fixes, no gemm', install: true, gemm: false },
  { label: 'fixes + gemm', install: true, gemm: true },
];
const FINAL = CONFIGS[CONFIGS.length - 1].label;
for (const config of CONFIGS) {
  uninstallWasmKernelFixes();
  if (config.install) {
    const notes = installWasmKernelFixes({ gemm: config.gemm });
    if (notes.length) console.log(notes.join('\n'));
  }
  const fixOn = config.install;
  const label = config.label;
  const mlp = await stepVsForward(mlpModel, [64, 256], [64, 256], mse);
  rows.push({ label, what: 'MLP 10x256 relu, batch 64', ...mlp });
  // The first probe in a process pays for JIT warm-up (what one CLI run sees); later ones show the steady state.
  const probeRuns = [];
  let probeError = null;
  for (let i = 0; i < (fixOn ? 5 : 2) && !probeError; i++) {
    const probeStart = performance.now();
    try {
      const run = await probeModel(
        zoo.mlp({
          inputSize: 256,
          widths: Array(10).fill(256),
          activation: 'relu',
          init: 'heNormal',
          outputUnits: 256,
          outputActivation: 'linear',
        }),
        { steps: 20, batchSize: 64, seed: 1 },
      );
      probeRuns.push(performance.now() - probeStart);
      if (run.loss.length !== 20) probeError = `only ${run.loss.length} steps ran`;
    } catch (error) {
      probeError = error.message;
    }
  }
  const warm = probeRuns.slice(1).sort((a, b) => a - b);
  const probeMs = warm.length ? warm[Math.floor(warm.length / 2)] : NaN;
  rows.push({
    label,
    what: '20-step probe of that MLP incl. build',
    probeMs,
    firstProbeMs: probeRuns[0] ?? NaN,
    error: probeError ?? `first in process ${fmt(probeRuns[0] ?? NaN)} ms; median of the next ${warm.length}`,
  });
  const cnn = await stepVsForward(cnnModel, [32, 32, 32, 3], [32, 10], cce);
  rows.push({ label, what: 'CNN 6 conv 3x3x32, 32x32x3, batch 32', ...cnn });
}

console.log(
  '\n| kernels | workload | forward ms | step ms | step/forward | BatchMatMul ms in step | products on gemm per step | 20-step probe ms | note |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.step / r.forward;
  console.log(
    `| ${r.label} | ${r.what} | ${fmt(r.forward)} | ${fmt(r.step)} | ${Number.isFinite(ratio) ? ratio.toFixed(1) + 'x' : '-'} | ${fmt(r.matmulMs)} | ${r.gemmProducts ?? '-'} | ${fmt(r.probeMs)} | ${r.error ?? ''} |`,
  );
}

console.log(`\nload average (1/5/15 min) at start: ${loadAtStart}; at end: ${load()} (the machine has 2 cores; timings scale with load)`);
const mlpOn = rows.find((r) => r.label === FINAL && r.what.startsWith('MLP'));
const probeOn = rows.find((r) => r.label === FINAL && r.what.startsWith('20-step'));
console.log(
  `\nTarget: MLP step <= 4x forward: ${(mlpOn.step / mlpOn.forward).toFixed(1)}x -> ${mlpOn.step <= 4 * mlpOn.forward ? 'met' : 'NOT met'}`,
);
console.log(
  `Target: 20-step probe incl. build <= 1000 ms: ${fmt(probeOn.probeMs)} ms (first in process: ${fmt(probeOn.firstProbeMs)} ms) -> ${probeOn.probeMs <= 1000 ? 'met' : 'NOT met'}`,
);
// Load on this 2-core machine changes every timing; in units of the same run's forward pass the cost is comparable
// across runs (issue 4 measured a 3.7 ms forward pass, so its 1 s target is about 270 forward passes).
console.log(
  `20-step probe in forward passes of the same run: ${(probeOn.probeMs / mlpOn.forward).toFixed(0)} (1000 ms / 3.7 ms = 270 on the issue's machine)`,
);
const cnnOn = rows.find((r) => r.label === FINAL && r.what.startsWith('CNN'));
console.log(`CNN step/forward: ${(cnnOn.step / cnnOn.forward).toFixed(1)}x`);
