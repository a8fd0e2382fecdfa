// Editing latency and memory of the language server over the real protocol (stdio JSON-RPC, the built dist/server.js).
import { performance } from 'node:perf_hooks';
import { percentile, residentMb, sleep, startServer, printResults } from './lspHarness.mjs';

const MODELS_IN_FILE = 20;
const TARGET_LINES = 2000;
const EDITS = 50;
const MEMORY_FILES = 100;
const BURST_EDITS = 5;
const TARGETS = { median: 30, p95: 60, rssMb: 150, peakMb: 300 };

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'selu', 'elu'];
const INITIALIZERS = ['glorotNormal', 'heNormal', 'zeros', 'leCunNormal', 'glorotUniform'];

/** One sequential model of `layers` dense layers, each layer on its own block of lines. */
function modelSource(index, layers) {
  const lines = [`export function buildModel${index}(): tf.Sequential {`, `  const model${index} = tf.sequential();`];
  for (let l = 0; l < layers; l++) {
    lines.push(
      `  model${index}.add(tf.layers.dense({`,
      ...(l === 0 ? [`    inputShape: [${64 + index}],`] : []),
      `    units: ${32 + ((index * 7 + l * 3) % 64)},`,
      `    activation: '${ACTIVATIONS[(index + l) % ACTIVATIONS.length]}',`,
      `    kernelInitializer: '${INITIALIZERS[(index * 3 + l) % INITIALIZERS.length]}',`,
      '  }));',
    );
  }
  lines.push(`  model${index}.add(tf.layers.dense({ units: 10, activation: 'softmax' }));`, `  return model${index};`, '}', '');
  return lines;
}

/** A TS file of about `targetLines` lines holding `models` models. */
function generateFile(models, targetLines) {
  const header = ['// Generated for the language-server latency benchmark.', "import * as tf from '@tensorflow/tfjs';", ''];
  const perModel = Math.floor((targetLines - header.length) / models);
  // Layers per model so that each model fills about perModel lines (6 lines per layer, ~6 lines of frame).
  const layers = Math.max(2, Math.floor((perModel - 6) / 5));
  const body = [];
  for (let m = 0; m < models; m++) body.push(...modelSource(m, layers));
  const lines = [...header, ...body];
  while (lines.length < targetLines) lines.push(`// padding line ${lines.length}`);
  return lines.join('\n') + '\n';
}

/** A Keras model.to_json() of `layers` dense layers. */
function jsonModelSource(index, layers) {
  const dense = Array.from({ length: layers }, (_, l) =>
    JSON.stringify({
      class_name: 'Dense',
      config: {
        name: `dense_${l}`,
        units: 32 + ((index * 7 + l * 3) % 64),
        activation: ACTIVATIONS[(index + l) % ACTIVATIONS.length],
        kernel_initializer: {
          class_name: ['GlorotNormal', 'HeNormal', 'Zeros', 'LecunNormal', 'GlorotUniform'][(index * 3 + l) % 5],
          config: {},
        },
        ...(l === 0 ? { batch_input_shape: [null, 64 + index] } : {}),
      },
    }),
  );
  return `{"class_name": "Sequential", "config": {"name": "model${index}", "layers": [\n  ${dense.join(',\n  ')}\n]}, "keras_version": "2.15.0"}\n`;
}

/** A Keras model in Python of `layers` dense layers. */
function pythonModelSource(index, layers) {
  const inits = ['glorot_normal', 'he_normal', 'zeros', 'lecun_normal', 'glorot_uniform'];
  const lines = [
    'import keras',
    'from keras import layers',
    '',
    `model${index} = keras.Sequential([`,
    `    keras.Input(shape=(${64 + index},)),`,
  ];
  for (let l = 0; l < layers; l++) {
    lines.push(
      `    layers.Dense(${32 + ((index * 7 + l * 3) % 64)}, activation='${ACTIVATIONS[(index + l) % ACTIVATIONS.length]}', kernel_initializer='${inits[(index * 3 + l) % inits.length]}'),`,
    );
  }
  lines.push("    layers.Dense(10, activation='softmax'),", '])', '');
  return lines.join('\n');
}

// --- latency: one-character edits on a 2,000-line file with 20 models ---
const text = generateFile(MODELS_IN_FILE, TARGET_LINES);
const lines = text.split('\n');
const uri = 'file:///bench/models.ts';
const latency = await startServer();
await latency.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
const opened = await latency.waitFor(uri, 1);
// Edit a digit of a `units:` value in the middle of the file, alternating so the text really changes each time.
const editLine = lines.findIndex((line, i) => i > lines.length / 2 && /units: \d+,/.test(line));
const editColumn = lines[editLine].indexOf('units: ') + 'units: '.length;
const samples = [];
const engineInServer = [];
const overheads = [];
let version = 1;
for (let i = 0; i < EDITS + 5; i++) {
  version++;
  const digit = String((i % 9) + 1);
  const started = performance.now();
  await latency.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [
      { range: { start: { line: editLine, character: editColumn }, end: { line: editLine, character: editColumn + 1 } }, text: digit },
    ],
  });
  const hit = await latency.waitFor(uri, version);
  // The first few edits warm the JIT; they are not counted.
  if (i >= 5) {
    samples.push(hit.at - started);
    // The status notification follows the publish: it says how long the engine took for this version.
    const engineMs = latency.analysisMs.get(`${uri}@${version}`) ?? (await sleep(5), latency.analysisMs.get(`${uri}@${version}`));
    if (engineMs !== undefined) {
      engineInServer.push(engineMs);
      overheads.push(hit.at - started - engineMs);
    }
  }
  await sleep(30); // a fast typist's gap between keystrokes
}
await latency.stop();
samples.sort((a, b) => a - b);
const median = percentile(samples, 50);
const p95 = percentile(samples, 95);

// --- memory: resident set after opening 100 model files ---
const memory = await startServer();
const pending = [];
for (let f = 0; f < MEMORY_FILES; f++) {
  const fileUri = `file:///bench/project/model${f}.ts`;
  const fileText = ['// Generated model file.', "import * as tf from '@tensorflow/tfjs';", '', ...modelSource(f, 4 + (f % 8))].join('\n');
  await memory.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: fileUri, languageId: 'typescript', version: 1, text: fileText },
  });
  pending.push(memory.waitFor(fileUri, 1));
}
const results = await Promise.all(pending);
await sleep(500);
const rssMb = residentMb(memory.child.pid);
await memory.stop();

// --- peak memory: 100 documents (TS, JSON, Python) opened, then a burst of interleaved edits across all of them ---
const burst = await startServer();
const burstFiles = Array.from({ length: MEMORY_FILES }, (_, f) => {
  const layers = 4 + (f % 8);
  const [extension, languageId, fileText] = [
    ['ts', 'typescript', ['// Generated model file.', "import * as tf from '@tensorflow/tfjs';", '', ...modelSource(f, layers)].join('\n')],
    ['json', 'json', jsonModelSource(f, layers)],
    ['py', 'python', pythonModelSource(f, layers)],
  ][f % 3];
  return { uri: `file:///bench/burst/model${f}.${extension}`, languageId, text: fileText, version: 1 };
});
for (const file of burstFiles) {
  await burst.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: file.uri, languageId: file.languageId, version: 1, text: file.text },
  });
}
/** The first digit of a unit count in TS, JSON or Python. */
const UNITS_DIGIT = /(units: |"units": ?|Dense\()\d/;
// Each edit rewrites one digit of the first layer's unit count: a real change every time, interleaved across the files.
for (let round = 0; round < BURST_EDITS; round++) {
  for (const file of burstFiles) {
    const fileLines = file.text.split('\n');
    const line = fileLines.findIndex((l) => UNITS_DIGIT.test(l));
    const match = UNITS_DIGIT.exec(fileLines[line]);
    const column = match.index + match[1].length;
    file.version++;
    const digit = String(((round + 3) % 9) + 1);
    await burst.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: file.uri, version: file.version },
      contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: digit }],
    });
    fileLines[line] = fileLines[line].slice(0, column) + digit + fileLines[line].slice(column + 1);
    file.text = fileLines.join('\n');
  }
}
const burstResults = await Promise.all(burstFiles.map((file) => burst.waitFor(file.uri, file.version)));
const peakMb = residentMb(burst.child.pid, 'VmHWM');
const burstRssMb = residentMb(burst.child.pid);
await burst.stop();

engineInServer.sort((a, b) => a - b);
overheads.sort((a, b) => a - b);

const rows = [
  ['change → publishDiagnostics, median', `${median.toFixed(1)} ms`, `<= ${TARGETS.median} ms`, median <= TARGETS.median],
  ['change → publishDiagnostics, p95', `${p95.toFixed(1)} ms`, `<= ${TARGETS.p95} ms`, p95 <= TARGETS.p95],
  [`resident memory after opening ${MEMORY_FILES} model files`, `${rssMb.toFixed(1)} MB`, `<= ${TARGETS.rssMb} MB`, rssMb <= TARGETS.rssMb],
  [
    `peak resident memory (VmHWM), ${MEMORY_FILES}-file burst of ${BURST_EDITS} edits each`,
    `${peakMb.toFixed(1)} MB`,
    `<= ${TARGETS.peakMb} MB`,
    peakMb <= TARGETS.peakMb,
  ],
];
console.log(
  `Language server over stdio: ${lines.length - 1}-line TS file with ${MODELS_IN_FILE} models (${opened.count} diagnostics), ${EDITS} one-character edits after 5 warm-up edits.`,
);
printResults(rows);
if (overheads.length > 0) {
  console.log(
    `Of that, analyze() inside the server (its status notification): median ${percentile(engineInServer, 50).toFixed(1)} ms; protocol + debounce + conversion: median ${percentile(overheads, 50).toFixed(1)} ms, p95 ${percentile(overheads, 95).toFixed(1)} ms.`,
  );
}
console.log(
  `Burst: ${MEMORY_FILES} files (TS, JSON, Python in turn), ${MEMORY_FILES * BURST_EDITS} interleaved edits, every final version published (diagnostics: ${['ts', 'json', 'py'].map((ext) => `${ext} ${burstResults.reduce((n, r, f) => n + (burstFiles[f].uri.endsWith(`.${ext}`) ? r.count : 0), 0)}`).join(', ')}); resident after it ${burstRssMb.toFixed(1)} MB.`,
);
console.log(
  `min ${samples[0].toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms; ${results.reduce((n, r) => n + r.count, 0)} diagnostics over the ${MEMORY_FILES} files.`,
);
