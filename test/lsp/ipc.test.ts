// The same bundle also serves over Node IPC (the transport the VS Code client uses).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { it } from 'node:test';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type InitializeResult } from 'vscode-languageserver-protocol/node';
import { SERVER_BUNDLE } from './lspClient';

it('initializes over --node-ipc and advertises its features', async () => {
  const child = fork(SERVER_BUNDLE, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    })) as InitializeResult;
    assert.equal(result.serverInfo?.name, 'model-lint-language-server');
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.modelLint'] });
    assert.equal(result.capabilities.diagnosticProvider, undefined, 'no pull diagnostics for a client without them');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
});
