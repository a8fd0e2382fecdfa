// Shared quick-fix steps of the real-editor suites: find the preferred fix of a diagnostic, apply it, see the problem go.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  modelLintDiagnostics,
  openFixture,
  restoreFixture,
  ruleIdOf,
  waitFor,
  waitForModelLintDiagnostics,
  workspaceFile,
} from './helpers';

/** The quick fixes VS Code offers for a range; a request cancelled by a concurrent document update is asked again. */
export async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        vscode.CodeActionKind.QuickFix.value,
        1,
      );
    } catch (error) {
      if (attempt >= 5 || !(error instanceof Error) || error.name !== 'Canceled') throw error;
    }
  }
}

/** The preferred quick fix VS Code offers for one diagnostic, if any, and every title offered there. */
export async function preferredQuickFix(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
): Promise<{ fix?: vscode.CodeAction; titles: string[] }> {
  const actions = await quickFixesAt(uri, diagnostic.range);
  // The API command does not always hand back the action's diagnostics; when it does, they must be this one.
  const fix = actions.find(
    (action) =>
      action.isPreferred &&
      action.edit !== undefined &&
      (!action.diagnostics?.length ||
        action.diagnostics.some((d) => ruleIdOf(d) === ruleIdOf(diagnostic) && d.range.isEqual(diagnostic.range))),
  );
  return { fix, titles: actions.map((action) => `${action.title}${action.isPreferred ? ' (preferred)' : ''}`) };
}

/** What applyPreferredQuickFix fixed. */
export interface AppliedFix {
  ruleId: string | undefined;
  line: number;
  title: string;
}

/**
 * Applies the first preferred quick fix offered for the given diagnostics of a document (a file or a notebook cell)
 * and waits until that rule's diagnostic on that line is gone from the document.
 */
export async function applyPreferredQuickFix(
  document: vscode.TextDocument,
  diagnostics: readonly vscode.Diagnostic[],
): Promise<AppliedFix> {
  const uri = document.uri;
  let chosen: { diagnostic: vscode.Diagnostic; fix: vscode.CodeAction } | undefined;
  const offered: string[] = [];
  for (const diagnostic of diagnostics) {
    const { fix, titles } = await preferredQuickFix(uri, diagnostic);
    offered.push(`${ruleIdOf(diagnostic)}: [${titles.join('; ')}]`);
    if (fix?.edit) {
      chosen = { diagnostic, fix };
      break;
    }
  }
  assert.ok(chosen, `one of ${diagnostics.length} diagnostics offers a preferred quick fix; offered: ${offered.join(' | ')}`);
  const before = document.getText();
  assert.ok(await vscode.workspace.applyEdit(chosen.fix.edit!), `applied "${chosen.fix.title}"`);
  assert.notEqual(document.getText(), before, 'the quick fix changed the document');
  const ruleId = ruleIdOf(chosen.diagnostic);
  const line = chosen.diagnostic.range.start.line;
  await waitFor(
    `${ruleId} on line ${line + 1} to go away after "${chosen.fix.title}"`,
    () => !modelLintDiagnostics(uri).some((d) => ruleIdOf(d) === ruleId && d.range.start.line === line),
    60_000,
  );
  return { ruleId, line, title: chosen.fix.title };
}

/** Applies the first preferred quick fix among a fixture's diagnostics, checks that problem goes away, restores the fixture. */
export async function applyOneQuickFix(relativePath: string): Promise<AppliedFix> {
  const uri = workspaceFile(relativePath);
  const editor = await openFixture(relativePath);
  const applied = await applyPreferredQuickFix(editor.document, await waitForModelLintDiagnostics(uri));
  await restoreFixture(uri);
  return applied;
}
