// Real-editor screenshot: the editor with a model-lint squiggle and its hover, taken by the code-server driver.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, requestScreenshot, screenshotOutputDir, waitForModelLintDiagnostics, workspaceFile } from './helpers';

suite('screenshot', () => {
  test('the squiggle and the hover are visible in the editor', async function () {
    if (!screenshotOutputDir()) this.skip(); // @vscode/test-electron runs have no screenshot driver
    const uri = workspaceFile('src/mnist-mlp-bad.ts');
    // Earlier suites may have left panels beside the editor (the probe webview): start from one editor group.
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
    const editor = await openFixture('src/mnist-mlp-bad.ts');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
    const diagnostics = await waitForModelLintDiagnostics(uri);
    const target = diagnostics.find((d) => editor.document.lineAt(d.range.start.line).text.includes("'zeros'")) ?? diagnostics[0];
    const at = target.range.start.translate(0, 1);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(target.range, vscode.TextEditorRevealType.InCenter);
    // The cursor sits in the squiggle; "Show Hover" (Ctrl+K Ctrl+I) opens the hover a user gets there.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.showHover');
    const report = await requestScreenshot('editor-squiggle-hover', ['[class*="squiggly-"]', '.monaco-hover']);
    assert.ok(report.seen['[class*="squiggly-"]'], 'a squiggle is drawn in the editor');
    assert.ok(report.seen['.monaco-hover'], 'the hover is shown');
    assert.match(report.hoverText, /model-lint|initializer/i, `the hover shows model-lint content: ${report.hoverText.slice(0, 200)}`);
  });
});
