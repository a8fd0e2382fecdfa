// The allowed import directions of model-lint, checked by `npm run depcheck` (and so by `npm test`).
// common/ is what the client and the server share: it imports neither. The client reaches the server only over
// LSP and the probe worker's messages. The engine (server/src/engine) knows nothing of its faces or of editors.
// Type-only imports count: a type is a dependency too.

/** Packages that belong to a face (editor, LSP) and never to the engine. */
const EDITOR_PACKAGES =
  '(^|/)node_modules/(vscode|vscode-languageserver|vscode-languageserver-textdocument|vscode-languageserver-protocol|vscode-jsonrpc|vscode-languageclient|@types/vscode)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere, type-only ones included: each file can be read after the files it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-imports-no-side',
      severity: 'error',
      comment: 'common/ is shared by client and server, so it imports neither (nor the tests).',
      from: { path: '^common/' },
      to: { path: '^(server|client|test)/' },
    },
    {
      name: 'client-imports-only-common',
      severity: 'error',
      comment:
        'The client imports only its own files, common/, Node built-ins and its editor packages (VS Code, the LSP client, Chart.js for the webview).',
      from: { path: '^client/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^client/', '^common/', '(^|/)node_modules/(vscode-languageclient|chart\\.js|@types/vscode)/', '^vscode$'],
      },
    },
    {
      name: 'webview-runs-in-a-browser',
      severity: 'error',
      comment: 'The webview bundle runs in a browser: no Node built-ins.',
      from: { path: '^client/src/webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'engine-knows-no-face',
      severity: 'error',
      comment:
        'The analysis engine takes text and returns models and problems: no CLI, LSP, probe, config file reading, editor package or client.',
      from: { path: '^server/src/engine/' },
      to: {
        path: [
          '^server/src/(lsp|cli|probe)/',
          '^server/src/config\\.ts$',
          '^server/src/index\\.ts$',
          '^client/',
          EDITOR_PACKAGES,
          '^vscode$',
        ],
      },
    },
    {
      name: 'engine-reads-no-files',
      severity: 'error',
      comment: 'The engine has no file system, processes or threads: its faces do that.',
      from: { path: '^server/src/engine/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(fs|node:fs|fs/promises|node:fs/promises|child_process|node:child_process|worker_threads|node:worker_threads)$',
      },
    },
    {
      name: 'server-imports-no-client',
      severity: 'error',
      comment: 'The server never imports the VS Code client.',
      from: { path: '^server/' },
      to: { path: ['^client/', '^vscode$', '(^|/)node_modules/@types/vscode/'] },
    },
    {
      name: 'product-imports-no-test',
      severity: 'error',
      comment: 'Tests may import anything; product code never imports a test.',
      from: { path: '^(server|client|common)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    exclude: { path: '^(out|dist|test/fixtures|test-output)/' },
    doNotFollow: { path: 'node_modules' },
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
