// Editing latency and memory of the language server on Python over the real protocol: a 2,000-line .py file, a
// 100-cell notebook (LSP 3.17 notebook sync) and 100 open PyTorch / Keras files.
import { performance } from 'node:perf_hooks';
import { percentile, residentMb, sleep, startServer, printResults } from './lspHarness.mjs';
import { generatePythonModule } from './pythonModule.mjs';

const EDITS = 50;
const WARM_UP = 5;
const MEMORY_FILES = 100;
const NOTEBOOK_CELLS = 100;
const TARGETS = { median: 15, p95: 30, notebookP95: 30, rssMb: 150 };

/** Splits a module into top-level chunks (a def or class with its body, or a run of statements). */
function topLevelChunks(text) {
  const chunks = [];
  let current = [];
  for (const line of text.split('\n')) {
    const startsTopLevel = /^(def |class |@|if __name__)/.test(line);
    if (startsTopLevel && current.some((l) => l.trim() !== '')) {
      chunks.push(current.join('\n'));
      current = [];
    }
    current.push(line);
  }
  if (current.some((l) => l.trim() !== '')) chunks.push(current.join('\n'));
  return chunks;
}

/** A notebook of `count` cells: the module's definitions, one per cell, then cells that build and initialize each model, markdown between. */
function notebookCells(count) {
  const { text, models } = generatePythonModule({ lines: 1400, models: 20, seed: 11 });
  const cells = [
    { kind: 1, language: 'markdown', text: '# Models\nGenerated for the notebook latency benchmark.' },
    { kind: 2, language: 'python', text: '%matplotlib inline\n!pip install torch' },
  ];
  for (const chunk of topLevelChunks(text)) cells.push({ kind: 2, language: 'python', text: chunk });
  for (const [index, model] of models.entries()) {
    if (cells.length >= count - 1) break;
    cells.push({ kind: 1, language: 'markdown', text: `## ${model.name}` });
    cells.push({ kind: 2, language: 'python', text: `net_${index} = ${model.name}()\nprint(net_${index})` });
  }
  while (cells.length < count) cells.push({ kind: 2, language: 'python', text: `step_${cells.length} = ${cells.length} * 2` });
  return cells.slice(0, count);
}

/** Times one-digit edits: `edit(i)` sends edit i and returns the URI and version whose publish ends it. */
async function timeEdits(server, edit) {
  const samples = [];
  const engine = [];
  for (let i = 0; i < EDITS + WARM_UP; i++) {
    const started = performance.now();
    const { uri, version, statusKey } = await edit(i);
    const hit = await server.waitFor(uri, version);
    if (i >= WARM_UP) {
      samples.push(hit.at - started);
      const ms = server.analysisMs.get(statusKey) ?? (await sleep(5), server.analysisMs.get(statusKey));
      if (ms !== undefined) engine.push(ms);
    }
    await sleep(30); // a fast typist's gap between keystrokes
  }
  samples.sort((a, b) => a - b);
  engine.sort((a, b) => a - b);
  return {
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    engineMedian: engine.length > 0 ? percentile(engine, 50) : NaN,
  };
}

/** The position of the first digit after `marker` on the first line past `fromLine` that has it. */
function digitAfter(lines, marker, fromLine) {
  const line = lines.findIndex((l, i) => i >= fromLine && l.includes(marker) && /\d/.test(l.slice(l.indexOf(marker) + marker.length)));
  const column =
    lines[line].indexOf(marker) + marker.length + /\d/.exec(lines[line].slice(lines[line].indexOf(marker) + marker.length)).index;
  return { line, character: column };
}

// --- a 2,000-line .py file with 20 models: one-digit edits in the middle ---
const { text: pyText } = generatePythonModule();
const pyLines = pyText.split('\n');
const pyUri = 'file:///bench/models.py';
const pyServer = await startServer();
await pyServer.connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri: pyUri, languageId: 'python', version: 1, text: pyText },
});
const pyOpened = await pyServer.waitFor(pyUri, 1, 120_000);
const pyAt = digitAfter(pyLines, 'nn.Linear(', Math.floor(pyLines.length / 2));
let pyVersion = 1;
const py = await timeEdits(pyServer, async (i) => {
  pyVersion++;
  await pyServer.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: pyUri, version: pyVersion },
    contentChanges: [{ range: { start: pyAt, end: { line: pyAt.line, character: pyAt.character + 1 } }, text: String((i % 9) + 1) }],
  });
  return { uri: pyUri, version: pyVersion, statusKey: `${pyUri}@${pyVersion}` };
});
await pyServer.stop();

// --- a 100-cell notebook: one-digit edits in one cell, the whole notebook re-analysed ---
const cells = notebookCells(NOTEBOOK_CELLS);
const nbUri = 'file:///bench/models.ipynb';
const cellUri = (index) => `vscode-notebook-cell:/bench/models.ipynb#cell${index}`;
const nbServer = await startServer();
await nbServer.connection.sendNotification('notebookDocument/didOpen', {
  notebookDocument: {
    uri: nbUri,
    notebookType: 'jupyter-notebook',
    version: 1,
    cells: cells.map((cell, index) => ({ kind: cell.kind, document: cellUri(index) })),
  },
  cellTextDocuments: cells.map((cell, index) => ({
    uri: cellUri(index),
    languageId: cell.language,
    version: 1,
    text: cell.text,
  })),
});
// The edited cell: a definition in the middle of the notebook.
const editedCell = cells.findIndex((cell, index) => index >= NOTEBOOK_CELLS / 5 && /nn\.Linear\(\w+, \d/.test(cell.text));
const nbOpened = await nbServer.waitFor(cellUri(editedCell), 1, 120_000);
const cellAt = digitAfter(cells[editedCell].text.split('\n'), 'nn.Linear(', 0);
let cellVersion = 1;
let nbVersion = 1;
const nb = await timeEdits(nbServer, async (i) => {
  cellVersion++;
  nbVersion++;
  await nbServer.connection.sendNotification('notebookDocument/didChange', {
    notebookDocument: { uri: nbUri, version: nbVersion },
    change: {
      cells: {
        textContent: [
          {
            document: { uri: cellUri(editedCell), version: cellVersion },
            changes: [
              {
                range: { start: cellAt, end: { line: cellAt.line, character: cellAt.character + 1 } },
                text: String((i % 9) + 1),
              },
            ],
          },
        ],
      },
    },
  });
  return { uri: cellUri(editedCell), version: cellVersion, statusKey: `${nbUri}@${nbVersion}` };
});
await nbServer.stop();

// --- memory: resident set after opening 100 PyTorch / Keras model files ---
const memory = await startServer();
const pending = [];
for (let f = 0; f < MEMORY_FILES; f++) {
  const uri = `file:///bench/project/model${f}.py`;
  const { text } = generatePythonModule({ lines: 60 + (f % 8) * 10, models: 1 + (f % 2), seed: 100 + f });
  await memory.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text },
  });
  pending.push(memory.waitFor(uri, 1, 120_000));
}
const opened = await Promise.all(pending);
await sleep(500);
const rssMb = residentMb(memory.child.pid);
await memory.stop();

const rows = [
  [
    `.py (${pyLines.length - 1} lines): change → publishDiagnostics, median`,
    `${py.median.toFixed(1)} ms`,
    `<= ${TARGETS.median} ms`,
    py.median <= TARGETS.median,
  ],
  ['.py: change → publishDiagnostics, p95', `${py.p95.toFixed(1)} ms`, `<= ${TARGETS.p95} ms`, py.p95 <= TARGETS.p95],
  [`notebook (${NOTEBOOK_CELLS} cells): cell edit → its publish, median`, `${nb.median.toFixed(1)} ms`, '', null],
  ['notebook: cell edit → its publish, p95', `${nb.p95.toFixed(1)} ms`, `<= ${TARGETS.notebookP95} ms`, nb.p95 <= TARGETS.notebookP95],
  [
    `resident memory after opening ${MEMORY_FILES} Python model files`,
    `${rssMb.toFixed(1)} MB`,
    `<= ${TARGETS.rssMb} MB`,
    rssMb <= TARGETS.rssMb,
  ],
];
console.log(
  `Language server over stdio, Python: ${EDITS} one-digit edits after ${WARM_UP} warm-up edits, 30 ms apart; the .py file has ${pyOpened.count} diagnostics, the notebook's edited cell ${nbOpened.count}.`,
);
printResults(rows);
console.log(
  `Of that, the engine inside the server (its status notification), median: .py ${py.engineMedian.toFixed(1)} ms, notebook ${nb.engineMedian.toFixed(1)} ms; ${opened.reduce((n, r) => n + r.count, 0)} diagnostics over the ${MEMORY_FILES} files.`,
);
