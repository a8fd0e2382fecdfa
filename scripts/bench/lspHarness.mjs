// Shared by the language-server benchmarks: the built server over stdio, a waiter for versioned publishes, statistics.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import protocol from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverBundle = join(root, 'dist', 'server.js');

/** A running server with a protocol connection and a waiter for versioned publishes (LSP_BENCH_NODE_ARGS, e.g. --cpu-prof, go to its node). */
export async function startServer() {
  const child = spawn(process.execPath, [...(process.env.LSP_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), serverBundle, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = [];
  const published = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const at = performance.now();
    published.set(`${params.uri}@${params.version}`, { at, count: params.diagnostics.length });
    for (const waiter of [...waiters]) waiter();
  });
  const analysisMs = new Map();
  connection.onNotification('modelLint/status', (params) => analysisMs.set(`${params.uri}@${params.version}`, params.analysisMs));
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
  });
  await connection.sendNotification('initialized', {});
  const waitFor = (uri, version, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const key = `${uri}@${version}`;
      const check = () => {
        const hit = published.get(key);
        if (!hit) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(hit);
      };
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${key} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push(check);
      check();
    });
  const stop = async () => {
    try {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } catch {
      // already gone
    }
    connection.dispose();
    await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  return { child, connection, waitFor, stop, analysisMs };
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A field of /proc/<pid>/status in MB: VmRSS (resident now) or VmHWM (peak resident since the process started). */
export function residentMb(pid, field = 'VmRSS') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1]);
  return kb / 1024;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Prints measure rows `[name, value, target, ok]` as an aligned table; `ok` null leaves the result cell empty. */
export function printResults(rows) {
  const table = [
    ['measure', 'value', 'target', 'result'],
    ...rows.map(([name, value, target, ok]) => [name, value, target, ok === null ? '' : ok ? 'PASS' : 'MISS']),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table)
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
}
