// Every palette command of the extension, registered from this one table.
import * as vscode from 'vscode';
import {
  Commands,
  FIX_ALL_CODE_ACTION_KIND,
  FixAllRequest,
  type ProbeModelArgs,
  type ShowRuleDocumentationArgs,
} from '../../common/src/protocol';
import { probeAndShow } from './probeCommands';
import { listRuleDocs, openRuleDoc } from './ruleDocs';
import { messageOf, type ModelLintServer } from './serverClient';

/** Command id of "Probe All Models in File" (client-only: no server message carries it). */
export const PROBE_ALL_MODELS_COMMAND = 'modelLint.probeAllModels';

/** What a command handler may use. */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  server: ModelLintServer;
  output: vscode.LogOutputChannel;
}

/** One palette command: its id (title and category live in package.json) and what it does. */
interface CommandSpec {
  id: string;
  /** When true, the command first checks that the server runs and says why not otherwise. */
  needsServer: boolean;
  run(context: CommandContext, ...args: unknown[]): Promise<unknown> | unknown;
}

const COMMANDS: readonly CommandSpec[] = [
  {
    id: Commands.restartServer,
    needsServer: false,
    async run({ server }) {
      await server.restart();
      if (!server.isRunning) void vscode.window.showWarningMessage(server.notRunningReason());
    },
  },
  {
    id: Commands.showOutput,
    needsServer: false,
    run({ output }) {
      output.show(true);
    },
  },
  {
    id: Commands.fixAllInFile,
    needsServer: true,
    run: fixAllInActiveFile,
  },
  {
    id: Commands.showRuleDocumentation,
    needsServer: false,
    run: showRuleDocumentation,
  },
  {
    id: Commands.probeModel,
    // The probe runs in its own worker thread; the server is only asked which model the cursor is in.
    needsServer: false,
    run: ({ extension }, args) => probeAndShow(extension.extensionUri, isProbeModelArgs(args) ? args : undefined, false),
  },
  {
    id: PROBE_ALL_MODELS_COMMAND,
    needsServer: false,
    run: ({ extension }) => probeAndShow(extension.extensionUri, undefined, true),
  },
];

/** Registers every command of the table; failures are shown, never thrown into VS Code. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return COMMANDS.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      if (spec.needsServer && !context.server.isRunning) {
        void vscode.window.showWarningMessage(context.server.notRunningReason());
        return undefined;
      }
      try {
        return await spec.run(context, ...args);
      } catch (error) {
        context.output.error(`${spec.id} failed: ${messageOf(error)}`);
        void vscode.window.showErrorMessage(`model-lint: ${messageOf(error)}`);
        return undefined;
      }
    }),
  );
}

/** The ids of the table, for the manifest parity check. */
export const COMMAND_IDS: readonly string[] = COMMANDS.map((spec) => spec.id);

/**
 * Applies all safe fixes of the active document; resolves true when an edit was applied. A file takes the server's
 * source.fixAll.modelLint action; a notebook cell asks modelLint/fixAll for the whole notebook, because the source
 * action of a cell edits that cell only (what fix-all on save needs).
 */
async function fixAllInActiveFile({ server }: CommandContext): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('model-lint: open a model file first; Fix All works on the active editor.');
    return false;
  }
  const document = editor.document;
  if (document.uri.scheme === 'vscode-notebook-cell') return fixAllInNotebook(server, document.uri);
  const wholeDocument = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    wholeDocument,
    FIX_ALL_CODE_ACTION_KIND,
    1,
  );
  const fixAllKind = vscode.CodeActionKind.Empty.append(FIX_ALL_CODE_ACTION_KIND);
  const fixAll = actions?.find((action) => action.kind !== undefined && fixAllKind.contains(action.kind));
  if (!fixAll || (!fixAll.edit && !fixAll.command)) {
    void vscode.window.showInformationMessage('model-lint: nothing to fix automatically in this file.');
    return false;
  }
  if (fixAll.edit && !(await vscode.workspace.applyEdit(fixAll.edit))) {
    throw new Error('the fix-all edit could not be applied (the document changed meanwhile?)');
  }
  if (fixAll.command) await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
  return true;
}

/** Applies the notebook-wide fix-all edit the server gives for one of its cells. */
async function fixAllInNotebook(server: ModelLintServer, cell: vscode.Uri): Promise<boolean> {
  const result = await server.sendRequest<FixAllRequest.Result>(FixAllRequest.method, { uri: cell.toString() });
  if (result === null || result.documentChanges.length === 0) {
    void vscode.window.showInformationMessage('model-lint: nothing to fix automatically in this notebook.');
    return false;
  }
  const edit = await server.asWorkspaceEdit(result);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the fix-all edit could not be applied (the notebook changed meanwhile?)');
  return true;
}

/** With a rule id (string or the server's argument object) opens its page, else lets the user pick a rule. */
async function showRuleDocumentation({ extension }: CommandContext, argument?: unknown): Promise<void> {
  const given =
    typeof argument === 'string' ? { ruleId: argument, url: undefined } : isShowRuleDocumentationArgs(argument) ? argument : undefined;
  if (given) {
    await openRuleDoc(extension.extensionUri, given.ruleId, given.url);
    return;
  }
  const docs = await listRuleDocs(extension.extensionUri);
  if (docs.length === 0) {
    void vscode.window.showWarningMessage('model-lint: no rule documentation is shipped with this build.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    docs.map((doc) => ({ label: doc.ruleId, detail: doc.summary, ruleId: doc.ruleId })),
    { title: 'model-lint rules', placeHolder: 'Rule to show the documentation of', matchOnDetail: true },
  );
  if (picked) await openRuleDoc(extension.extensionUri, picked.ruleId);
}

function isShowRuleDocumentationArgs(value: unknown): value is ShowRuleDocumentationArgs {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ruleId?: unknown }).ruleId === 'string' &&
    /^[a-z0-9-]+$/.test((value as { ruleId: string }).ruleId)
  );
}

function isProbeModelArgs(value: unknown): value is ProbeModelArgs {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProbeModelArgs).uri === 'string' &&
    Number.isInteger((value as ProbeModelArgs).modelIndex)
  );
}
