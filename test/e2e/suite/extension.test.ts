// Real-editor tests of the extension shell: activation, the command table against the manifest, the status bar.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, modelLintDiagnostics, openFixture, waitFor, waitForModelLintDiagnostics, workspaceFile } from './helpers';

interface ExtensionApi {
  phase(): { kind: string };
  statusBarText(): string;
}

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

suite('extension', () => {
  test('activates on a TensorFlow.js file and starts the language server', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await openFixture('src/mnist-mlp-bad.ts');
    const api = await waitFor('the extension to activate', async () => (extension.isActive ? extension.exports : undefined), 30_000);
    await waitFor('the language server to run', () => api.phase().kind === 'running', 30_000);
  });

  test('every manifest command is registered, and every registered modelLint command is in the manifest', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifestCommands = extension.packageJSON.contributes.commands as ManifestCommand[];
    const manifestIds = manifestCommands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('modelLint.')).sort();
    assert.deepEqual(registered, manifestIds);
    for (const required of [
      'modelLint.restartServer',
      'modelLint.showOutput',
      'modelLint.fixAllInFile',
      'modelLint.showRuleDocumentation',
    ]) {
      assert.ok(manifestIds.includes(required), `${required} is contributed`);
    }
    for (const command of manifestCommands)
      assert.equal(command.category, 'Model Lint', `${command.command} shows as "Model Lint: ${command.title}"`);
  });

  test('Show Output and Restart Server work, and the server answers again after the restart', async () => {
    const api = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.exports;
    await vscode.commands.executeCommand('modelLint.showOutput');
    await vscode.commands.executeCommand('modelLint.restartServer');
    await waitFor('the restarted server to run', () => api.phase().kind === 'running', 30_000);
    const uri = workspaceFile('src/mnist-mlp-bad.ts');
    await openFixture('src/mnist-mlp-bad.ts');
    await waitForModelLintDiagnostics(uri);
  });

  test('the status bar shows the problem count of the active model file', async () => {
    const api = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.exports;
    const uri = workspaceFile('src/mnist-mlp-bad.ts');
    await openFixture('src/mnist-mlp-bad.ts');
    const diagnostics = await waitForModelLintDiagnostics(uri);
    const text = await waitFor(
      'the status bar count',
      () => {
        const shown = api.statusBarText();
        return shown.includes(`model-lint: ${modelLintDiagnostics(uri).length}`) ? shown : undefined;
      },
      10_000,
    );
    assert.ok(diagnostics.length > 0 && text.includes(String(diagnostics.length)));
  });

  test('a TypeScript file without TensorFlow.js gets no model-lint diagnostics', async () => {
    // The model file first, so the server is known to be analysing before the plain file is judged.
    await waitForModelLintDiagnostics(workspaceFile('src/mnist-mlp-bad.ts'));
    const plain = workspaceFile('src/plain.ts');
    await openFixture('src/plain.ts');
    const model = workspaceFile('models/keras-cnn.json');
    await openFixture('models/keras-cnn.json');
    await waitForModelLintDiagnostics(model);
    assert.deepEqual(modelLintDiagnostics(plain), []);
  });
});
