// Real-editor tests of the probe's options: the modelLint.probe.* settings reach the probe, and a model without an input shape gets the input box.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { requestScreenshot, screenshotOutputDir, workspaceFile } from './helpers';

interface ProbeReportShape {
  backend: string;
  models: { name: string; error?: string; errorCode?: string; loss: number[]; layers: { name: string }[] }[];
}

/** No layer declares an input shape and the first dense layer's fan-in is unknown. */
const SHAPELESS_MODEL = `import * as tf from '@tensorflow/tfjs';

export const shapeless = tf.sequential({
  layers: [
    tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heNormal' }),
    tf.layers.dense({ units: 1 }),
  ],
});
`;

suite('probe options', () => {
  test('modelLint.probe.steps from the workspace settings sets the number of probe steps', async function () {
    this.timeout(180_000);
    const uri = workspaceFile('src/mnist-mlp-bad.ts');
    const config = vscode.workspace.getConfiguration('modelLint', uri);
    await config.update('probe.steps', 3, vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(vscode.workspace.getConfiguration('modelLint', uri).get('probe.steps'), 3);
      const report = await vscode.commands.executeCommand<ProbeReportShape | undefined>('modelLint.probeModel', {
        uri: uri.toString(),
        modelIndex: 0,
        modelName: 'model',
      });
      assert.ok(report, 'the probe returned a report');
      const [model] = report.models;
      assert.equal(model.error, undefined, `the model was probed: ${model.error}`);
      assert.equal(model.loss.length, 3, JSON.stringify(model.loss));
    } finally {
      await config.update('probe.steps', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a model without an input shape opens the input box; cancelling it leaves the error in the panel', async function () {
    this.timeout(180_000);
    const uri = workspaceFile('src/probe-shapeless.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SHAPELESS_MODEL));
    try {
      let settled = false;
      const probing = Promise.resolve(
        vscode.commands.executeCommand<ProbeReportShape | undefined>('modelLint.probeModel', {
          uri: uri.toString(),
          modelIndex: 0,
          modelName: 'shapeless',
        }),
      ).finally(() => {
        settled = true;
      });
      if (screenshotOutputDir()) {
        // The driver waits until the quick input is visible: the box was shown (its PNG is saved with the output).
        const shot = await requestScreenshot('probe-input-shape-prompt', ['.quick-input-widget']);
        assert.equal(shot.seen['.quick-input-widget'], true, 'the input box for the input shape is shown');
      }
      // Escape in the box; repeated because without a driver the box may not be open yet.
      while (!settled) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const report = await probing;
      assert.ok(report, 'the probe returned a report');
      const [model] = report.models;
      assert.equal(model.errorCode, 'input-shape-unknown', JSON.stringify(model));
      assert.match(model.error ?? '', /The input shape of model 'shapeless' cannot be found/);
      if (!screenshotOutputDir()) return;
      const panel = await requestScreenshot('probe-input-shape-cancelled', ['webview:p.error'], 'p.error');
      assert.match(panel.webviewText, /input shape of model 'shapeless' cannot be found/);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
