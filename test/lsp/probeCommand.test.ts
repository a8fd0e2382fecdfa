// The server-side probe command over real JSON-RPC: lens command choice, report, progress, hover while probing, cancellation.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type CodeLens, type Command, type Hover, type ProgressToken } from 'vscode-languageserver-protocol/node';
import type { ProbeReport } from '../../common/src/probe';
import { LspTestClient } from './lspClient';

/** Three dense layers, the first with a zeros kernel: the probe must find symmetric weights, the fixed run must not. */
const BAD_MODEL = `import * as tf from '@tensorflow/tfjs';

export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
`;

interface ProgressEvent {
  token: ProgressToken;
  kind: 'begin' | 'report' | 'end';
  at: number;
  cancellable?: boolean;
  message?: string;
}

/** A client that advertises work-done progress and records the progress and messages the server sends. */
async function progressClient(
  initializationOptions?: unknown,
): Promise<{ client: LspTestClient; progress: ProgressEvent[]; created: ProgressToken[]; messages: { type: number; message: string }[] }> {
  const client = await LspTestClient.start({ workDoneProgress: true, initializationOptions });
  const progress: ProgressEvent[] = [];
  const created: ProgressToken[] = [];
  const messages: { type: number; message: string }[] = [];
  client.connection.onRequest('window/workDoneProgress/create', (params: { token: ProgressToken }) => {
    created.push(params.token);
    return null;
  });
  client.connection.onNotification(
    '$/progress',
    (params: { token: ProgressToken; value: { kind: ProgressEvent['kind']; cancellable?: boolean; message?: string } }) => {
      progress.push({
        token: params.token,
        kind: params.value.kind,
        at: performance.now(),
        cancellable: params.value.cancellable,
        message: params.value.message,
      });
    },
  );
  client.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
    messages.push(params);
  });
  return { client, progress, created, messages };
}

async function probeLens(client: LspTestClient, uri: string): Promise<Command> {
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  const lens = lenses.find((l) => l.command?.title === 'Probe gradients');
  assert.ok(lens?.command, JSON.stringify(lenses));
  return lens.command;
}

/** Resolves once the server has sent a report for the newest progress token (the probe is training). */
function firstReport(
  client: LspTestClient,
  state: { progress: ProgressEvent[]; created: ProgressToken[] },
  createdBefore: number,
): Promise<ProgressToken> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = (): void => {
      const token = state.created[createdBefore];
      if (token !== undefined && state.progress.some((p) => p.token === token && p.kind === 'report')) return resolve(token);
      if (performance.now() - started > 30_000)
        return reject(new Error(`no progress report within 30 s; server log:\n${client.logs.join('\n')}`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

describe('server-side probe command (modelLint.probe)', () => {
  let state: Awaited<ReturnType<typeof progressClient>>;
  const uri = 'file:///workspace/models/probe-bad.ts';

  before(async () => {
    state = await progressClient();
    await state.client.open(uri, 'typescript', BAD_MODEL);
    await state.client.waitForPublished(uri, 1);
  });
  after(async () => {
    await state.client.stop();
  });

  it('advertises the command and puts it on the lens when the client does not run probes itself', async () => {
    const command = await probeLens(state.client, uri);
    assert.equal(command.command, 'modelLint.probe');
    assert.deepEqual(command.arguments, [{ uri, modelIndex: 0, modelName: 'model' }]);
    assert.deepEqual(state.client.initializeResult?.capabilities.executeCommandProvider?.commands, ['modelLint.probe']);
  });

  it('runs the probe in a worker: report with fixed run, progress begin/report/end, a hover answered while it trains', async () => {
    const command = await probeLens(state.client, uri);
    const createdBefore = state.created.length;
    const logsBefore = state.client.logs.length;
    const started = performance.now();
    let resultAt = 0;
    const result = state.client.connection
      .sendRequest('workspace/executeCommand', { command: command.command, arguments: command.arguments })
      .then((report) => {
        resultAt = performance.now();
        return report as ProbeReport;
      });
    const token = await firstReport(state.client, state, createdBefore);
    const hoverSent = performance.now();
    // The cursor on the zeros layer's line.
    const hover = (await state.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 20 },
    })) as Hover | null;
    const hoverAt = performance.now();
    const report = await result;
    assert.ok(hover, 'the hover on a layer has content');
    assert.ok(resultAt > hoverAt, 'the hover was answered before the probe result');
    console.log(
      `hover during probe: answered in ${(hoverAt - hoverSent).toFixed(1)} ms; probe result ${(resultAt - hoverAt).toFixed(0)} ms later; whole probe ${(resultAt - started).toFixed(0)} ms on ${report.backend}`,
    );

    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(report.backend), report.backend);
    assert.equal(report.models.length, 1);
    const model = report.models[0]!;
    assert.equal(model.name, 'model');
    assert.equal(model.error, undefined);
    assert.equal(model.layers.length, 3);
    for (const layer of model.layers) assert.equal(typeof layer.gradNorm, 'number', JSON.stringify(layer));
    assert.ok(
      model.findings.some((f) => f.id === 'symmetric'),
      JSON.stringify(model.findings),
    );
    assert.ok(model.fixed, 'a fixed run');
    assert.equal(model.fixed.layers.length, 3);
    assert.ok(!model.fixed.findings.some((f) => f.id === 'symmetric'), JSON.stringify(model.fixed.findings));

    const events = state.progress.filter((p) => p.token === token);
    assert.equal(events[0]?.kind, 'begin');
    assert.equal(events[0]?.cancellable, true);
    assert.ok(events.filter((e) => e.kind === 'report').length >= 2);
    assert.equal(events[events.length - 1]?.kind, 'end');

    // Warning: the current model has a finding. The table is the CLI's text.
    const message = state.messages[state.messages.length - 1]!;
    assert.equal(message.type, 2, message.message);
    assert.match(message.message, /probe of 'model' \(\w+\): .*symmetric.*; with the fixes applied: /);
    const table = state.client.logs.slice(logsBefore).join('\n');
    assert.match(table, /probe backend: \w+/);
    assert.match(table, /grad norm \(fixed\)/);
  });

  it('stops the worker when the progress is cancelled (window/workDoneProgress/cancel)', async () => {
    const command = await probeLens(state.client, uri);
    const createdBefore = state.created.length;
    // Many steps so only the cancel can end it quickly.
    const result = state.client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: [...command.arguments!, { steps: 5000 }],
    });
    const token = await firstReport(state.client, state, createdBefore);
    const cancelledAt = performance.now();
    await state.client.connection.sendNotification('window/workDoneProgress/cancel', { token });
    const error = await result.then(
      () => null,
      (e: { code?: number; message?: string }) => e,
    );
    const latency = performance.now() - cancelledAt;
    console.log(
      `cancel via window/workDoneProgress/cancel: command finished ${latency.toFixed(0)} ms after the cancel (${error?.message})`,
    );
    assert.equal(error?.code, -32800, JSON.stringify(error));
    assert.ok(latency < 1000, `cancel took ${latency} ms`);
    assert.equal(state.progress.filter((p) => p.token === token).pop()?.kind, 'end');
  });

  it('stops the worker when the request itself is cancelled ($/cancelRequest)', async () => {
    const command = await probeLens(state.client, uri);
    const createdBefore = state.created.length;
    const source = new CancellationTokenSource();
    const result = state.client.connection.sendRequest(
      'workspace/executeCommand',
      { command: command.command, arguments: [...command.arguments!, { steps: 5000 }] },
      source.token,
    );
    await firstReport(state.client, state, createdBefore);
    const cancelledAt = performance.now();
    source.cancel();
    const error = await result.then(
      () => null,
      (e: { code?: number }) => e,
    );
    const latency = performance.now() - cancelledAt;
    console.log(`cancel via $/cancelRequest: command finished ${latency.toFixed(0)} ms after the cancel`);
    assert.equal(error?.code, -32800, JSON.stringify(error));
    assert.ok(latency < 1000, `cancel took ${latency} ms`);
    // The server is still there and answers.
    const hover = await state.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 20 },
    });
    assert.ok(hover);
  });

  it('cancels a running probe of the same model when it is probed again', async () => {
    const command = await probeLens(state.client, uri);
    const createdBefore = state.created.length;
    const first = state.client.connection
      .sendRequest('workspace/executeCommand', { command: command.command, arguments: [...command.arguments!, { steps: 5000 }] })
      .then(
        () => null,
        (e: { code?: number }) => e,
      );
    await firstReport(state.client, state, createdBefore);
    const second = state.client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: [...command.arguments!, { steps: 3 }],
    });
    assert.equal((await first)?.code, -32800);
    const report = (await second) as ProbeReport;
    assert.equal(report.models[0]?.loss.length, 3);
  });

  it('answers a wrong model or an unopened document with an error and an error message, and keeps running', async () => {
    const before = state.messages.length;
    const missing = await state.client.connection
      .sendRequest('workspace/executeCommand', { command: 'modelLint.probe', arguments: [{ uri, modelIndex: 3, modelName: 'nope' }] })
      .then(
        () => null,
        (e: { code?: number; message?: string }) => e,
      );
    assert.equal(missing?.code, -32803, JSON.stringify(missing));
    assert.match(missing?.message ?? '', /no model 'nope' \(it has 1\)/);
    const closed = await state.client.connection
      .sendRequest('workspace/executeCommand', {
        command: 'modelLint.probe',
        arguments: [{ uri: 'file:///workspace/not-open.ts', modelIndex: 0, modelName: 'model' }],
      })
      .then(
        () => null,
        (e: { code?: number; message?: string }) => e,
      );
    assert.match(closed?.message ?? '', /is not open/);
    const badArgs = await state.client.connection
      .sendRequest('workspace/executeCommand', { command: 'modelLint.probe', arguments: ['x'] })
      .then(
        () => null,
        (e: { code?: number }) => e,
      );
    assert.equal(badArgs?.code, -32602);
    const errors = state.messages.slice(before).filter((m) => m.type === 1);
    assert.equal(errors.length, 3, JSON.stringify(state.messages.slice(before)));
    assert.ok(
      await state.client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 20 } }),
    );
  });

  it('reports a model the probe refuses (custom layer) as an error message and a report carrying the error', async () => {
    const customUri = 'file:///workspace/models/probe-custom.ts';
    const text = BAD_MODEL.replace("tf.layers.dense({ units: 64, activation: 'relu' }),", 'new MyAttention({ units: 64 }),');
    await state.client.open(customUri, 'typescript', text);
    await state.client.waitForPublished(customUri, 1);
    const command = await probeLens(state.client, customUri);
    const before = state.messages.length;
    const report = (await state.client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    })) as ProbeReport;
    assert.ok(report.models[0]?.error, JSON.stringify(report));
    const message = state.messages.slice(before).pop();
    assert.equal(message?.type, 1, JSON.stringify(message));
    assert.match(message?.message ?? '', /probe of 'model' failed: /);
    await state.client.close(customUri);
  });
});

describe('lens command for a client that runs probes itself', () => {
  let client: LspTestClient;
  after(async () => {
    await client.stop();
  });

  it("carries the client's modelLint.probeModel when initializationOptions.probeCommand is 'client'", async () => {
    client = (await progressClient({ probeCommand: 'client' })).client;
    const uri = 'file:///workspace/models/client-lens.ts';
    await client.open(uri, 'typescript', BAD_MODEL);
    await client.waitForPublished(uri, 1);
    const command = await probeLens(client, uri);
    assert.equal(command.command, 'modelLint.probeModel');
    // Not advertised: vscode-languageclient would otherwise register modelLint.probe as a VS Code command.
    assert.equal(client.initializeResult?.capabilities.executeCommandProvider, undefined);
    assert.deepEqual(command.arguments, [{ uri, modelIndex: 0, modelName: 'model' }]);
  });
});
