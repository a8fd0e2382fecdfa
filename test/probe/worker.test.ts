// The probe in its worker thread: progress, cancel within 1 s, a backend that fails to load, a file without models.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProbeAborted, runProbe } from '../../common/src/probeWorkerClient';
import { defaultWorkerPath } from '../../server/src/probe/workerPath';
import { mlp } from './zoo';

/** The compiled worker beside the compiled server code, as the CLI and the language server find it. */
const workerPath = defaultWorkerPath();
const HE_MLP = mlp({ inputSize: 32, widths: [32, 32], activation: 'relu', init: 'heNormal', name: 'small' });

describe('probe worker', () => {
  it('runs a request off the thread with one progress event per step', async () => {
    const progress: number[] = [];
    const report = await runProbe(
      { text: '', fileName: 'model.ts', models: [HE_MLP], backend: 'wasm', options: { steps: 4, batchSize: 8 } },
      { workerPath, onProgress: (p) => progress.push(p.step) },
    );
    assert.equal(report.backend, 'wasm');
    assert.deepEqual(progress, [1, 2, 3, 4]);
    assert.equal(report.models[0].name, 'small');
    assert.equal(report.models[0].loss.length, 4);
  });

  it('cancel stops a running probe within 1 s', async () => {
    const big = mlp({ inputSize: 256, widths: Array(8).fill(256), activation: 'relu', init: 'heNormal' });
    const controller = new AbortController();
    let abortedAt = 0;
    const running = runProbe(
      { text: '', fileName: 'model.ts', models: [big], backend: 'wasm', options: { steps: 10_000, batchSize: 64 } },
      {
        workerPath,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 2 && !abortedAt) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      },
    );
    await assert.rejects(running, ProbeAborted);
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the cancel`);
  });

  it('a wasm backend that fails to load: a clear error when asked for, cpu with a note on auto', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'model-lint-nowasm-'));
    try {
      const request = { text: '', fileName: 'model.ts', models: [HE_MLP], options: { steps: 2, batchSize: 4 }, wasmDir: empty };
      await assert.rejects(
        runProbe({ ...request, backend: 'wasm' }, { workerPath }),
        /Backend 'wasm' is not available: the \.wasm files|Backend 'wasm' is not available/,
      );
      const report = await runProbe({ ...request, backend: 'auto' }, { workerPath });
      assert.equal(report.backend, 'cpu');
      assert.ok(
        report.backendNotes?.some((a) => /wasm backend not used/.test(a)),
        JSON.stringify(report.backendNotes),
      );
      assert.equal(report.models[0].loss.length, 2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('tfjs-node asked for but not installed: a clear error', async () => {
    await assert.rejects(
      runProbe({ text: '', fileName: 'model.ts', models: [HE_MLP], backend: 'node', options: { steps: 1 } }, { workerPath }),
      /Backend 'node' is not available: @tensorflow\/tfjs-node could not be loaded/,
    );
  });

  it('a file without a model: a clear error', async () => {
    await assert.rejects(
      runProbe({ text: 'const x = 1;\n', fileName: 'plain.ts', backend: 'cpu' }, { workerPath }),
      /No TensorFlow\.js, Keras or PyTorch model was found/,
    );
  });
});
