// Shared helpers of the real-editor suites: polling, fixture documents, the extension's API, screenshots.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** The extension's id (publisher.name in package.json). */
export const EXTENSION_ID = 'model-lint.model-lint';
/** The source every model-lint diagnostic carries. */
export const DIAGNOSTIC_SOURCE = 'model-lint';

/** Polls until `probe` returns a value that is not undefined/false, or fails with `what` after the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
}

/** The model-lint diagnostics VS Code holds for a document now. */
export function modelLintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** Set once a wait for diagnostics timed out: later waits fail fast instead of each waiting the full time. */
let diagnosticsNeverArrived = false;

/** Waits until the document has at least one model-lint diagnostic. */
export async function waitForModelLintDiagnostics(uri: vscode.Uri, timeoutMs = 60_000): Promise<vscode.Diagnostic[]> {
  const what = `model-lint diagnostics on ${vscode.workspace.asRelativePath(uri)}`;
  try {
    return await waitFor(
      what,
      () => {
        const found = modelLintDiagnostics(uri);
        return found.length > 0 ? found : undefined;
      },
      diagnosticsNeverArrived ? 5_000 : timeoutMs,
    );
  } catch (error) {
    diagnosticsNeverArrived = true;
    throw error;
  }
}

/** The rule id of a diagnostic (its `code`, plain or with a docs target). */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** URI of a file of the fixture workspace. */
export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the real-editor suites need the fixture workspace open (test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Opens a fixture file in an editor, with the text it has on disk (an earlier test's edits are undone). */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const uri = workspaceFile(relativePath);
  await restoreFixture(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Fixture texts as first read from disk in this run (the runner copies pristine fixtures before each run). */
const pristineTexts = new Map<string, string>();

/**
 * Puts a document's text back to the fixture as first read and saves it, so no editor stays dirty and the disk
 * matches. An explicit edit rather than the revert command: that one acts on whichever editor has focus, and
 * reverts to a disk copy an auto-save may already have changed.
 */
export async function restoreFixture(uri: vscode.Uri): Promise<void> {
  if (!pristineTexts.has(uri.toString()))
    pristineTexts.set(uri.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  const document = await vscode.workspace.openTextDocument(uri);
  const onDisk = pristineTexts.get(uri.toString())!;
  if (document.getText() !== onDisk) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), onDisk);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not restore ${uri.fsPath}`);
  }
  if (document.isDirty) await document.save();
}

/** Where the code-server driver writes screenshots (unset under @vscode/test-electron, which has no driver). */
export function screenshotOutputDir(): string | undefined {
  return process.env.MODEL_LINT_E2E_OUTPUT || undefined;
}

/** What the driver saw when it took a screenshot. */
export interface ScreenshotReport {
  file: string;
  /** Selector → whether it became visible before the screenshot. */
  seen: Record<string, boolean>;
  counts: Record<string, number>;
  hoverText: string;
  /** Text of `webviewSelector` inside the active webview, when asked for. */
  webviewText: string;
}

/**
 * Asks the driver (scripts/e2e.mjs) for a screenshot through a log line, then waits for its report file.
 * The driver waits for the selectors (`webview:` ones inside the active webview) before it shoots, so the PNG shows
 * the state the test set up; the text of `webviewSelector` inside the webview comes back in the report.
 */
export async function requestScreenshot(name: string, waitForSelectors: string[], webviewSelector?: string): Promise<ScreenshotReport> {
  const outputDir = screenshotOutputDir();
  if (!outputDir) throw new Error('no screenshot driver (MODEL_LINT_E2E_OUTPUT unset)');
  const reportFile = join(outputDir, `${name}.json`);
  console.log(`[model-lint-e2e] screenshot ${JSON.stringify({ name, waitFor: waitForSelectors, webviewSelector })}`);
  return waitFor(
    `the screenshot ${name}`,
    () => (existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ScreenshotReport) : undefined),
    90_000,
  );
}

/** Markdown/plain text of hover contents. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}
