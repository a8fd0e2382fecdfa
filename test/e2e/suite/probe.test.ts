// Real-editor test of the gradient probe: the command probes a model, the webview draws it, the driver reads it back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, requestScreenshot, screenshotOutputDir, workspaceFile } from './helpers';

interface ProbeReportShape {
  backend: string;
  models: {
    name: string;
    error?: string;
    findings: { id: string }[];
    layers: { name: string; gradNorm: number | null }[];
    fixed?: { findings: { id: string }[] };
  }[];
}

suite('gradient probe', () => {
  test('Probe Gradients opens the webview with per-layer results of the current and the fixed model', async function () {
    this.timeout(180_000);
    const uri = workspaceFile('src/mnist-mlp-bad.ts');
    await openFixture('src/mnist-mlp-bad.ts');
    const report = await vscode.commands.executeCommand<ProbeReportShape | undefined>('modelLint.probeModel', {
      uri: uri.toString(),
      modelIndex: 0,
      modelName: 'model',
    });
    assert.ok(report, 'the probe returned a report');
    const [model] = report.models;
    assert.equal(model.error, undefined, `the model was probed: ${model.error}`);
    assert.equal(model.layers.length, 4);
    assert.ok(model.findings.length > 0, 'zeros and std-1 initializers give findings');
    assert.ok(model.fixed, 'the fixed variant was probed too');
    if (!screenshotOutputDir()) return; // @vscode/test-electron: no driver to read the webview
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const shot = await requestScreenshot('probe-webview', ['webview:table.layers', 'webview:canvas'], 'table.layers');
    for (const layer of model.layers)
      assert.match(shot.webviewText, new RegExp(layer.name.replace(/[#.]/g, '\\$&')), `the webview lists ${layer.name}`);
    assert.match(shot.webviewText, /Grad norm/);
  });
});
