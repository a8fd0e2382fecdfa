// Python parser choice, measured: @lezer/python against web-tree-sitter + tree-sitter-python on one generated module.
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generatePythonModule } from './pythonModule.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

const WARMUP_RUNS = 20;
const MEASURED_RUNS = 21;
const PREFIX_STEP = 50;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function formatMs(ms) {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function formatKb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/**
 * Median wall times of several runs after warm-up; the runs alternate call by call, so a change in the load of
 * the machine affects every candidate alike and the ratios stay fair. With `forceGc` a full collection runs before
 * each timed call: V8 then shrinks the young generation, and a parser that allocates many small objects pays for
 * growing it again inside the timed call, so both numbers are shown.
 */
function measureAlternating(runs, forceGc = false) {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    for (const run of runs) {
      run.prepare?.();
      run.fn();
    }
  }
  const times = runs.map(() => []);
  for (let i = 0; i < MEASURED_RUNS; i++) {
    runs.forEach((run, index) => {
      run.prepare?.();
      if (forceGc) globalThis.gc?.();
      const start = performance.now();
      run.fn();
      times[index].push(performance.now() - start);
    });
  }
  return times.map(median);
}

// ---- cold start: loading each parser until it can parse (lezer: import; tree-sitter: import, Parser.init, Language.load)
const { text, models } = generatePythonModule();
const lineCount = text.split('\n').length - 1;

let start = performance.now();
const lezer = await import('@lezer/python');
const { TreeFragment } = await import('@lezer/common');
lezer.parser.parse(text);
const lezerColdMs = performance.now() - start;

start = performance.now();
const { Parser, Language, Edit } = await import('web-tree-sitter');
await Parser.init();
const pythonWasm = require.resolve('tree-sitter-python/tree-sitter-python.wasm');
const runtimeWasm = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
const pythonLanguage = await Language.load(pythonWasm);
const treeSitter = new Parser();
treeSitter.setLanguage(pythonLanguage);
treeSitter.parse(text).delete();
const treeSitterColdMs = performance.now() - start;

// ---- what each parser recognises: the same questions asked of both trees

/** Per parser: parse, incremental re-parse, and the facts the front end would read (definitions, calls). */
const candidates = [
  {
    name: '@lezer/python 1.1.19',
    parse: (source) => lezer.parser.parse(source),
    free: () => {},
    definitions(tree, source) {
      const found = [];
      tree.iterate({
        enter(node) {
          if (node.name !== 'ClassDefinition' && node.name !== 'FunctionDefinition') return;
          const nameNode = node.node.getChild('VariableName');
          const body = node.node.getChild('Body');
          if (!nameNode || !body) return;
          found.push({
            name: source.slice(nameNode.from, nameNode.to),
            kind: node.name === 'ClassDefinition' ? 'class' : 'function',
            topLevel: node.node.parent?.name === 'Script',
          });
        },
      });
      return found;
    },
    calls(tree) {
      const spans = new Set();
      tree.iterate({
        enter(node) {
          if (node.name === 'CallExpression') spans.add(`${node.from}:${node.to}`);
        },
      });
      return spans;
    },
    errors(tree) {
      let count = 0;
      tree.iterate({
        enter(node) {
          if (node.type.isError) count++;
        },
      });
      return count;
    },
    reparse(oldTree, newText, at) {
      const fragments = TreeFragment.applyChanges(TreeFragment.addTree(oldTree), [{ fromA: at, toA: at, fromB: at, toB: at + 1 }]);
      return lezer.parser.parse(newText, fragments);
    },
    same: (a, b) => a.toString() === b.toString(),
    walk(tree) {
      let sum = 0;
      const cursor = tree.cursor();
      do sum += cursor.name.length + cursor.to - cursor.from;
      while (cursor.next());
      return sum;
    },
  },
  {
    name: 'web-tree-sitter 0.27.2 + tree-sitter-python 0.25.0',
    parse: (source) => treeSitter.parse(source),
    free: (tree) => tree.delete(),
    definitions(tree) {
      const found = [];
      for (const node of tree.rootNode.descendantsOfType(['class_definition', 'function_definition'])) {
        const nameNode = node.childForFieldName('name');
        const body = node.childForFieldName('body');
        if (!nameNode || !body) continue;
        found.push({
          name: nameNode.text,
          kind: node.type === 'class_definition' ? 'class' : 'function',
          topLevel: node.parent?.type === 'module',
        });
      }
      return found;
    },
    calls(tree) {
      return new Set(tree.rootNode.descendantsOfType('call').map((node) => `${node.startIndex}:${node.endIndex}`));
    },
    errors(tree) {
      let count = 0;
      const cursor = tree.walk();
      // Depth-first walk over every node, counting ERROR and MISSING nodes.
      for (let more = true; more;) {
        if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) count++;
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            more = false;
            break;
          }
        }
      }
      cursor.delete();
      return count;
    },
    reparse(oldTree, newText, at) {
      const { row, column } = positionOf(newText, at);
      oldTree.edit(
        new Edit({
          startIndex: at,
          oldEndIndex: at,
          newEndIndex: at + 1,
          startPosition: { row, column },
          oldEndPosition: { row, column },
          newEndPosition: { row, column: column + 1 },
        }),
      );
      return treeSitter.parse(newText, oldTree);
    },
    same: (a, b) => a.rootNode.toString() === b.rootNode.toString(),
    walk(tree) {
      let sum = 0;
      const cursor = tree.walk();
      for (let more = true; more;) {
        sum += cursor.nodeType.length + cursor.endIndex - cursor.startIndex;
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            more = false;
            break;
          }
        }
      }
      cursor.delete();
      return sum;
    },
  },
];

function positionOf(source, offset) {
  const before = source.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** How many of the generated models are found as a definition of their kind with a name and a body. */
function recognised(candidate, tree, source, expected) {
  const definitions = candidate.definitions(tree, source);
  const proper = expected.filter((model) => definitions.some((found) => found.name === model.name && found.kind === model.kind));
  const topLevel = expected.filter((model) =>
    definitions.some((found) => found.name === model.name && found.kind === model.kind && found.topLevel),
  );
  return { proper: proper.length, topLevel: topLevel.length };
}

// Sanity: on the clean module both parsers must see all models, else the other numbers mean nothing.
const cleanCalls = new Map();
for (const candidate of candidates) {
  const tree = candidate.parse(text);
  const found = recognised(candidate, tree, text, models);
  const errors = candidate.errors(tree);
  cleanCalls.set(candidate, candidate.calls(tree));
  candidate.free(tree);
  if (found.proper !== models.length || errors !== 0) {
    console.error(`${candidate.name} reads the clean module wrongly: ${found.proper}/${models.length} models, ${errors} error nodes.`);
    process.exit(1);
  }
}

// ---- full parse and incremental re-parse after a one-character edit (a digit typed into a number mid-module)
const lines = text.split('\n');
const editLine = Math.floor(lineCount / 2) + lines.slice(Math.floor(lineCount / 2)).findIndex((line) => /\d/.test(line));
const editAt = lines.slice(0, editLine).join('\n').length + 1 + lines[editLine].search(/\d/);
const editedText = text.slice(0, editAt) + '1' + text.slice(editAt);

const timings = new Map();
{
  const parseOnly = candidates.map((candidate) => ({ fn: () => candidate.free(candidate.parse(text)) }));
  const [lezerFull, treeSitterFull] = measureAlternating(parseOnly);
  const [lezerFullGc, treeSitterFullGc] = measureAlternating(parseOnly, true);
  // A front end reads every node once: parse plus a cursor walk over the whole tree (type name and range of each node).
  const [lezerWalk, treeSitterWalk] = measureAlternating(
    candidates.map((candidate) => ({
      fn: () => {
        const tree = candidate.parse(text);
        candidate.walk(tree);
        candidate.free(tree);
      },
    })),
  );
  const lezerBase = candidates[0].parse(text);
  const treeSitterBase = candidates[1].parse(text);
  let treeSitterOld;
  const [lezerEdit, treeSitterEdit] = measureAlternating([
    { fn: () => candidates[0].reparse(lezerBase, editedText, editAt) },
    // tree.edit changes the tree in place: each run edits a fresh copy (copying is a reference-count increment).
    {
      prepare: () => {
        treeSitterOld = treeSitterBase.copy();
      },
      fn: () => {
        candidates[1].reparse(treeSitterOld, editedText, editAt).delete();
        treeSitterOld.delete();
      },
    },
  ]);
  timings.set(candidates[0], { full: lezerFull, fullGc: lezerFullGc, walk: lezerWalk, edit: lezerEdit, cold: lezerColdMs });
  timings.set(candidates[1], {
    full: treeSitterFull,
    fullGc: treeSitterFullGc,
    walk: treeSitterWalk,
    edit: treeSitterEdit,
    cold: treeSitterColdMs,
  });
  // The incremental result must be the tree a fresh parse of the edited text gives.
  const checks = [
    [candidates[0], candidates[0].reparse(lezerBase, editedText, editAt)],
    [candidates[1], candidates[1].reparse(treeSitterBase.copy(), editedText, editAt)],
  ];
  for (const [candidate, incremental] of checks) {
    const fresh = candidate.parse(editedText);
    timings.get(candidate).sameAsFresh = candidate.same(incremental, fresh);
    candidate.free(fresh);
    candidate.free(incremental);
  }
  treeSitterBase.delete();
}

// ---- error recovery: half-typed prefixes and broken lines in the middle
/** Each prefix ends halfway through line k·PREFIX_STEP, as if the user were typing it. */
function prefixes() {
  const result = [];
  for (let k = PREFIX_STEP; k < lineCount; k += PREFIX_STEP) {
    const cut = lines.slice(0, k).join('\n').length + 1 + Math.floor(lines[k].length / 2);
    result.push({
      source: text.slice(0, cut),
      started: models.filter((model) => model.line < k),
      cleanUntil: lines.slice(0, k).join('\n').length,
    });
  }
  return result;
}

const middle = Math.floor(lineCount / 2);
const middleIndent = lines[middle].match(/^ */)[0];
const BROKEN_LINES = [
  ['unclosed call', `${middleIndent}x = nn.Linear(64,`],
  ['unterminated string', `${middleIndent}y = layers.Dense(32, activation='relu)`],
  ['half-typed def', `${middleIndent}def broken(self, x`],
  ['missing colon', `${middleIndent}if x is None`],
  ['bad dedent', `${middleIndent.slice(0, Math.max(0, middleIndent.length - 2))}z = 1`],
];

function recovery(candidate) {
  const allCalls = cleanCalls.get(candidate);
  let startedTotal = 0;
  let properTotal = 0;
  let callsExpected = 0;
  let callsKept = 0;
  for (const prefix of prefixes()) {
    const tree = candidate.parse(prefix.source);
    startedTotal += prefix.started.length;
    properTotal += recognised(candidate, tree, prefix.source, prefix.started).proper;
    const calls = candidate.calls(tree);
    for (const span of allCalls) {
      if (Number(span.split(':')[1]) > prefix.cleanUntil) continue;
      callsExpected++;
      if (calls.has(span)) callsKept++;
    }
    candidate.free(tree);
  }
  const broken = BROKEN_LINES.map(([label, line]) => {
    const source = [...lines.slice(0, middle), line, ...lines.slice(middle)].join('\n');
    const shift = line.length + 1;
    const offset = lines.slice(0, middle).join('\n').length;
    const tree = candidate.parse(source);
    const found = recognised(candidate, tree, source, models);
    const calls = candidate.calls(tree);
    let kept = 0;
    for (const span of allCalls) {
      const [from, to] = span.split(':').map(Number);
      const moved = from > offset ? `${from + shift}:${to + shift}` : span;
      if (calls.has(moved)) kept++;
    }
    candidate.free(tree);
    return { label, ...found, calls: kept, of: allCalls.size };
  });
  return { startedTotal, properTotal, callsExpected, callsKept, broken };
}

// ---- bundle size: a minimal entry using each parser, bundled and minified as the server bundle is
async function bundleSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { js: code.length, gzip: gzipSync(code).length };
}
const lezerBundle = await bundleSize(
  "const { parser } = require('@lezer/python');\nmodule.exports = (text) => parser.parse(text).length;\n",
);
const treeSitterBundle = await bundleSize(
  [
    "const { Parser, Language } = require('web-tree-sitter');",
    'module.exports = async (text, wasm) => {',
    '  await Parser.init();',
    '  const parser = new Parser();',
    '  parser.setLanguage(await Language.load(wasm));',
    '  return parser.parse(text).rootNode.endIndex;',
    '};',
  ].join('\n'),
);
const wasmBytes = statSync(pythonWasm).size + statSync(runtimeWasm).size;
const wasmGzip = gzipSync(readFileSync(pythonWasm)).length + gzipSync(readFileSync(runtimeWasm)).length;

// ---- report
console.log(
  `Python module: ${lineCount} lines, ${text.length} characters, ${models.length} models (${models.filter((m) => m.kind === 'class').length} classes, ${models.filter((m) => m.kind === 'function').length} functions).`,
);
console.log(
  `Times: median of ${MEASURED_RUNS} runs after ${WARMUP_RUNS} warm-up runs, the parsers alternating in one process; ratio = against @lezer/python in the same run.`,
);
console.log(
  '"after gc()": full parse with a forced full collection before each run; "parse+walk": parse and visit every node with a cursor; "1-char edit": re-parse reusing the old tree after typing one digit mid-module.',
);
const [reference] = candidates;
const rows = [
  [
    'parser',
    'full parse',
    'ratio',
    'after gc()',
    'parse+walk',
    'ratio',
    '1-char edit',
    'ratio',
    'edit = fresh',
    'cold start',
    'bundle min (gzip)',
  ],
];
for (const candidate of candidates) {
  const time = timings.get(candidate);
  const isTreeSitter = candidate !== reference;
  const bundle = isTreeSitter
    ? `${formatKb(treeSitterBundle.js)} JS + ${formatKb(wasmBytes)} wasm (${formatKb(treeSitterBundle.gzip + wasmGzip)})`
    : `${formatKb(lezerBundle.js)} JS (${formatKb(lezerBundle.gzip)})`;
  rows.push([
    candidate.name,
    formatMs(time.full),
    (time.full / timings.get(reference).full).toFixed(2),
    formatMs(time.fullGc),
    formatMs(time.walk),
    (time.walk / timings.get(reference).walk).toFixed(2),
    formatMs(time.edit),
    (time.edit / timings.get(reference).edit).toFixed(2),
    time.sameAsFresh ? 'yes' : 'NO',
    formatMs(time.cold),
    bundle,
  ]);
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const row of rows)
  console.log(
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );

console.log(
  `\nError recovery (a definition counts when it is found as ClassDefinition/FunctionDefinition with its name and body; "top" = still a direct child of the module):`,
);
for (const candidate of candidates) {
  const result = recovery(candidate);
  console.log(`${candidate.name}:`);
  console.log(
    `  ${prefixes().length} half-typed prefixes (cut mid-line every ${PREFIX_STEP} lines): ${result.properTotal}/${result.startedTotal} started models recognised, ${result.callsKept}/${result.callsExpected} calls before the cut kept`,
  );
  for (const broken of result.broken) {
    console.log(
      `  broken line at ${middle + 1} (${broken.label}): ${broken.proper}/${models.length} models recognised, ${broken.topLevel}/${models.length} top, ${broken.calls}/${broken.of} calls kept`,
    );
  }
}
console.log(
  `\nCold start = loading until the first parse is done (lezer: import; tree-sitter: import + await Parser.init() + await Language.load()).`,
);
console.log(
  `Bundles: esbuild --bundle --minify --platform=node of a minimal entry; tree-sitter also needs web-tree-sitter.wasm + tree-sitter-python.wasm (${formatKb(wasmBytes)}) beside the bundle.`,
);
treeSitter.delete();
