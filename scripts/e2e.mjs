// Runs the extension's mocha suites inside a real VS Code (code-server) driven by headless Chromium: npm run test:e2e.
//
// Installs what it needs when missing (Debian chromium, ripgrep, libkrb5-dev; code-server into .cache/code-server),
// builds, starts code-server on 127.0.0.1 with per-run HOME/TMPDIR/XDG folders under test-output/e2e/run, opens the
// workbench with extensionDevelopmentPath + extensionTestsPath, prints the suites' output, takes the screenshots the
// suites ask for, stops code-server by its PID and exits with the suites' exit code.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { format } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SUITE_TIMEOUT_MS = Number(process.env.MODEL_LINT_E2E_TIMEOUT_MS ?? 300_000);
/** Log lines a suite prints to ask the driver for a screenshot (see test/e2e/suite/screenshot.ts). */
const SCREENSHOT_REQUEST = '[model-lint-e2e] screenshot ';

const cacheDir = join(root, '.cache/code-server');
const codeServerEntry = join(cacheDir, 'node_modules/code-server/out/node/entry.js');
const outputDir = join(root, 'test-output/e2e');
const runDir = join(outputDir, 'run');
const workspaceDir = join(outputDir, 'workspace');

function log(message) {
  process.stdout.write(`[e2e] ${message}\n`);
}

/** Runs a command to completion with inherited output; throws on failure. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function debianPackageInstalled(name) {
  // eslint-disable-next-line no-template-curly-in-string -- dpkg-query's own format syntax
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** apt-get install of the Debian packages that are missing; one `apt-get update` first when needed. */
function ensureDebianPackages(names) {
  const missing = names.filter((name) => !debianPackageInstalled(name));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const attempt = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (attempt.status === 0) return;
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

/** Installs code-server once into .cache/code-server, seeding @vscode/ripgrep's download cache with Debian's rg. */
function ensureCodeServer() {
  if (existsSync(codeServerEntry)) return;
  ensureDebianPackages(['ripgrep', 'libkrb5-dev']);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (once; about a minute)`);
  const installTmp = join(cacheDir, 'install-tmp');
  const ripgrepCache = join(installTmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const ripgrepStage = join(installTmp, 'rg-stage');
  mkdirSync(ripgrepCache, { recursive: true });
  mkdirSync(ripgrepStage, { recursive: true });
  const debianRg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!debianRg) throw new Error('ripgrep (rg) is not on PATH after installing Debian ripgrep');
  copyFileSync(debianRg, join(ripgrepStage, 'rg'));
  run('tar', ['czf', join(ripgrepCache, RIPGREP_TARBALL), '-C', ripgrepStage, 'rg']);
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'model-lint-e2e-tools', private: true }, null, 2) + '\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    env: { ...process.env, TMPDIR: installTmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  rmSync(installTmp, { recursive: true, force: true });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server install finished but ${codeServerEntry} is missing`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('code-server did not answer /healthz within 30 s');
}

/** Stops code-server and everything it started (extension host, language server) through its process group id. */
async function stopCodeServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * The frame of a webview (the content frame inside VS Code's webview iframe) that shows `selector`, waiting up to
 * `timeoutMs`; undefined when none does. Found by content, not position: a notebook editor keeps webviews of its own.
 */
async function webviewFrameWith(page, selector, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      if (
        (await frame
          .locator(selector)
          .filter({ visible: true })
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits for the editor state a screenshot request names, takes the PNG, and writes what it saw next to it. */
async function takeRequestedScreenshot(page, request) {
  const started = Date.now();
  const waitFor = request.waitFor ?? [];
  const seen = {};
  for (const selector of waitFor) {
    try {
      if (selector.startsWith('webview:')) {
        seen[selector] = (await webviewFrameWith(page, selector.slice('webview:'.length), 30_000)) !== undefined;
        continue;
      }
      // Several hover widgets may exist hidden in the DOM: wait for one that is visible.
      await page.locator(selector).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
      seen[selector] = true;
    } catch {
      seen[selector] = false;
    }
  }
  const file = join(outputDir, `${request.name}.png`);
  await page.screenshot({ path: file });
  const counts = {};
  for (const selector of waitFor) {
    if (!selector.startsWith('webview:')) counts[selector] = await page.locator(selector).filter({ visible: true }).count();
  }
  const hoverText = (
    await page
      .locator('.monaco-hover:visible')
      .allInnerTexts()
      .catch(() => [])
  ).join('\n');
  // Text inside the active webview (two nested iframes), for suites that read what a panel drew.
  let webviewText = '';
  if (request.webviewSelector) {
    const frame = await webviewFrameWith(page, request.webviewSelector, 5_000);
    webviewText = frame
      ? (
          await frame
            .locator(request.webviewSelector)
            .allInnerTexts()
            .catch(() => [])
        ).join('\n')
      : '';
  }
  // The sidecar is written last: the suite polls for it to know the PNG is complete.
  writeFileSync(
    join(outputDir, `${request.name}.json`),
    JSON.stringify({ file, seen, counts, hoverText, webviewText, ms: Date.now() - started }, null, 2),
  );
  log(`screenshot ${file} (${JSON.stringify(seen)})`);
}

/** Copies the "model-lint" output channel the workbench logged to disk next to the screenshots. */
function copyExtensionOutputLog(userDataDir) {
  const logsRoot = join(userDataDir, 'logs');
  if (!existsSync(logsRoot)) return;
  const found = readdirSync(logsRoot, { recursive: true })
    .map(String)
    .filter((path) => /model-lint\.log$/.test(path));
  if (found.length > 0) copyFileSync(join(logsRoot, found.sort().at(-1)), join(outputDir, 'model-lint-output.log'));
}

async function main() {
  if (!existsSync(CHROMIUM)) ensureDebianPackages(['chromium']);
  ensureCodeServer();
  if (process.argv.includes('--install-only')) return;

  log('building');
  run(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'test/e2e'], { cwd: root });

  rmSync(outputDir, { recursive: true, force: true });
  const dirs = {
    home: 'home',
    tmp: 'tmp',
    config: 'xdg-config',
    data: 'xdg-data',
    cache: 'xdg-cache',
    userData: 'user-data',
    extensions: 'extensions',
  };
  for (const key of Object.keys(dirs)) {
    dirs[key] = join(runDir, dirs[key]);
    mkdirSync(dirs[key], { recursive: true });
  }
  // A fresh copy per run: the suites edit documents, the fixtures stay as written.
  cpSync(join(root, 'test/e2e/workspace'), workspaceDir, { recursive: true });
  // Settings for the workbench: no distractions that could cover the editor in screenshots.
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'editor.hover.delay': 100,
        // Edits the suites make must stay in memory until they restore the fixture.
        'files.autoSave': 'off',
        'window.zoomLevel': 0,
        // The workspace copy sits inside the project's git checkout: no "open the parent repository?" toast over screenshots.
        'git.openRepositoryInParentFolders': 'never',
      },
      null,
      2,
    ),
  );

  const port = await freePort();
  const env = {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    // Read by the suites in the extension host: where screenshot sidecars appear; absent under @vscode/test-electron.
    MODEL_LINT_E2E_OUTPUT: outputDir,
  };
  const codeServer = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = [];
  const workbenchConsole = [];
  codeServer.stdout.on('data', (chunk) => serverLog.push(String(chunk)));
  codeServer.stderr.on('data', (chunk) => serverLog.push(String(chunk)));
  log(`code-server pid ${codeServer.pid} on 127.0.0.1:${port}`);

  let exitCode;
  let browser;
  let suiteSummary = '0 passed, 1 failed (the suites did not report)';
  try {
    await waitForHealth(port, codeServer);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The workbench's own console (errors of save participants, renderers, webviews), kept for reading after a failure.
    page.on('console', (message) => workbenchConsole.push(`[${message.type()}] ${message.text()}`));

    let settle;
    const suitesDone = new Promise((resolve) => {
      settle = resolve;
    });
    const screenshotQueue = [];
    let screenshotChain = Promise.resolve();
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The extension host forwards console.* calls with their printf-style arguments (mocha's reporter uses %s, %d).
      const text = Array.isArray(args) ? format(...args) : String(args);
      process.stdout.write(`${text}\n`);
      if (/^\d+ passed, \d+ failed/.test(text)) suiteSummary = text;
      const at = text.indexOf(SCREENSHOT_REQUEST);
      if (at >= 0) {
        const request = JSON.parse(text.slice(at + SCREENSHOT_REQUEST.length));
        screenshotChain = screenshotChain
          .then(() => takeRequestedScreenshot(page, request))
          .catch((error) => log(`screenshot failed: ${error}`));
        screenshotQueue.push(screenshotChain);
      }
    });

    const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(join(root, 'out/test/e2e/suite/index.js'))],
      ['skipWelcome', 'true'],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceDir)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS));
    const outcome = await Promise.race([suitesDone, timedOut]);
    await Promise.all(screenshotQueue);
    await page.screenshot({ path: join(outputDir, 'final.png') }).catch(() => {});
    if (outcome === 'timeout') {
      log(`the suites did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
      exitCode = 1;
    } else {
      exitCode = outcome;
    }
  } catch (error) {
    log(`failed: ${error instanceof Error ? error.stack : error}`);
    exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopCodeServer(codeServer);
    writeFileSync(join(outputDir, 'code-server.log'), serverLog.join(''));
    writeFileSync(join(outputDir, 'workbench-console.log'), workbenchConsole.join('\n') + '\n');
    copyExtensionOutputLog(dirs.userData);
  }
  log(`suites exit code ${exitCode}; screenshots and logs in test-output/e2e/`);
  // The runner's own closing line: the mocha count, so a reader of the last line sees the result.
  process.stdout.write(`${suiteSummary}\n`);
  process.exit(exitCode);
}

await main();
