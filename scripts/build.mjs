// Bundles every entry point with esbuild: node build.mjs [--production] [--watch].
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** One esbuild context per entry: source, output, platform, externals. */
const ENTRIES = [
  { in: 'server/src/index.ts', out: 'dist/api.js', platform: 'node', format: 'cjs' },
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', platform: 'node', format: 'cjs' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js', platform: 'node', format: 'cjs' },
  { in: 'server/src/probe/worker.ts', out: 'dist/probeWorker.js', platform: 'node', format: 'cjs' },
  { in: 'client/src/extension.ts', out: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'client/src/webview/main.ts', out: 'dist/webview.js', platform: 'browser', format: 'iife' },
];

// Optional native backend: resolved at run time from the user's workspace or our optional dependency.
const ALWAYS_EXTERNAL = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

const contexts = [];
for (const entry of ENTRIES) {
  if (!existsSync(join(root, entry.in))) continue;
  contexts.push(
    await esbuild.context({
      entryPoints: [join(root, entry.in)],
      outfile: join(root, entry.out),
      bundle: true,
      platform: entry.platform,
      format: entry.format,
      target: entry.platform === 'node' ? 'node20' : 'es2022',
      external: [...ALWAYS_EXTERNAL, ...(entry.external ?? [])],
      // jsonc-parser's UMD main requires its parts dynamically, which a bundle cannot resolve: use its ES module build.
      alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
      logOverride: { 'require-resolve-not-external': 'silent' },
    }),
  );
}

// The wasm backend loads its .wasm binaries from next to the bundle.
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
mkdirSync(join(root, 'dist'), { recursive: true });
if (existsSync(wasmDir)) {
  for (const file of readdirSync(wasmDir)) if (file.endsWith('.wasm')) copyFileSync(join(wasmDir, file), join(root, 'dist', file));
}

// The probe's matrix-product kernels are written in WebAssembly text; the bundles load the binary from dist/.
const gemmSource = join(root, 'server/src/probe/gemm.wat');
if (existsSync(gemmSource)) {
  const wabt = await (await import('wabt')).default();
  const parsed = wabt.parseWat('gemm.wat', readFileSync(gemmSource, 'utf8'), { simd: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    writeFileSync(join(root, 'dist', 'model-lint-gemm.wasm'), parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

// The probe's HTML report inlines Chart.js's UMD build, read from next to the bundle when chart.js is not installed.
const chartUmd = join(root, 'node_modules/chart.js/dist/chart.umd.min.js');
if (existsSync(chartUmd)) copyFileSync(chartUmd, join(root, 'dist', 'chart.umd.min.js'));

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
