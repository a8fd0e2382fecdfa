// The server's probe command over real JSON-RPC: modelLint.probe.* settings from workspace/configuration, explicit arguments over them, and the input-shape error code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Command } from 'vscode-languageserver-protocol/node';
import type { ProbeReport } from '../../common/src/probe';
import { LspTestClient } from './lspClient';

const DENSE_MODEL = `import * as tf from '@tensorflow/tfjs';

export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', kernelInitializer: 'heNormal' }),
    tf.layers.dense({ units: 4, activation: 'softmax' }),
  ],
});
`;

/** No layer declares an input shape and the first dense layer's fan-in is unknown: the probe cannot find one. */
const SHAPELESS_MODEL = `import * as tf from '@tensorflow/tfjs';

export const shapeless = tf.sequential({
  layers: [
    tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heNormal' }),
    tf.layers.dense({ units: 1 }),
  ],
});
`;

async function probeLens(client: LspTestClient, uri: string): Promise<Command> {
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  const lens = lenses.find((l) => l.command?.title === 'Probe gradients');
  assert.ok(lens?.command, JSON.stringify(lenses));
  return lens.command;
}

async function probe(client: LspTestClient, command: Command, options?: Record<string, unknown>): Promise<ProbeReport> {
  const args = options ? [...command.arguments!, options] : command.arguments;
  return (await client.connection.sendRequest('workspace/executeCommand', { command: command.command, arguments: args })) as ProbeReport;
}

describe('server probe command reads modelLint.probe.* settings', () => {
  let client: LspTestClient;
  const uri = 'file:///workspace/models/probe-settings.ts';

  before(async () => {
    client = await LspTestClient.start({ settings: { probe: { steps: 3, batchSize: 4, backend: 'cpu' } } });
    await client.open(uri, 'typescript', DENSE_MODEL);
    await client.waitForPublished(uri, 1);
  });
  after(async () => {
    await client.stop();
  });

  it('uses steps, batchSize and backend from workspace/configuration; explicit arguments win', async () => {
    const command = await probeLens(client, uri);
    const fromSettings = await probe(client, command);
    const model = fromSettings.models[0]!;
    assert.equal(model.error, undefined, model.error);
    assert.equal(fromSettings.backend, 'cpu');
    assert.equal(model.loss.length, 3, JSON.stringify(model.loss));
    assert.equal(model.fixed?.loss.length, 3);

    // Same seed and batch given explicitly: the same numbers, so the settings' batch of 4 was used.
    const explicitSameBatch = await probe(client, command, { batchSize: 4 });
    assert.deepEqual(explicitSameBatch.models[0]!.loss, model.loss);

    // Explicit values win over the settings: 5 steps on a batch of 32 draw other data, so the losses differ.
    const explicit = await probe(client, command, { steps: 5, batchSize: 32, compareFixed: false });
    const explicitModel = explicit.models[0]!;
    assert.equal(explicitModel.loss.length, 5);
    assert.equal(explicitModel.fixed, undefined);
    assert.notDeepEqual(explicitModel.loss.slice(0, 3), model.loss);
    console.log(
      `loss from settings (steps 3, batch 4): ${model.loss.map((l) => l.toFixed(4)).join(', ')}; explicit batch 32: ${explicitModel.loss
        .slice(0, 3)
        .map((l) => l.toFixed(4))
        .join(', ')}`,
    );

    // Invalid explicit values are ignored in favour of the settings.
    const invalid = await probe(client, command, { steps: -2, batchSize: 'many', compareFixed: false });
    assert.deepEqual(invalid.models[0]!.loss, model.loss);
  });

  it('picks up changed settings after workspace/didChangeConfiguration', async () => {
    client.settings = { probe: { steps: 2, backend: 'cpu' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const report = await probe(client, await probeLens(client, uri), { compareFixed: false });
    assert.equal(report.models[0]!.loss.length, 2);
  });

  it("returns errorCode 'input-shape-unknown' for a model without an input shape, and probes it with inputShape given", async () => {
    const shapelessUri = 'file:///workspace/models/probe-shapeless.ts';
    await client.open(shapelessUri, 'typescript', SHAPELESS_MODEL);
    await client.waitForPublished(shapelessUri, 1);
    const command = await probeLens(client, shapelessUri);
    const failed = (await probe(client, command)).models[0]!;
    assert.equal(failed.errorCode, 'input-shape-unknown', JSON.stringify(failed));
    assert.match(
      failed.error ?? '',
      /The input shape of model 'shapeless' cannot be found: give the first layer an inputShape \(or pass the probe an input shape\)\./,
    );

    // A malformed input shape is ignored, so the error stays.
    const malformed = (await probe(client, command, { inputShape: [8, 0] })).models[0]!;
    assert.equal(malformed.errorCode, 'input-shape-unknown');

    const probed = (await probe(client, command, { inputShape: [8] })).models[0]!;
    assert.equal(probed.error, undefined, probed.error);
    assert.equal(probed.errorCode, undefined);
    assert.equal(probed.loss.length, 2);
    assert.equal(probed.layers.length, 2);
    for (const layer of probed.layers) assert.equal(typeof layer.gradNorm, 'number', JSON.stringify(layer));
    await client.close(shapelessUri);
  });
});
