// Protocol and settings types shared by the VS Code client and the language server.
// Plain method names and payload shapes only: the client and the server each build their own
// RequestType/NotificationType from these, because they bundle different protocol library versions.
import type { SeveritySetting, Thresholds } from './rules';
import type { ProbeSettings } from './probeOptions';

/** Settings section prefix. */
export const SETTINGS_SECTION = 'modelLint';

/** The `modelLint.*` settings as the client stores them (every field optional in the user's settings). */
export interface ModelLintSettings {
  /** Turns the server's analysis off for the resource when false. */
  enable: boolean;
  /** Per-rule severity or 'off'. */
  rules: Record<string, SeveritySetting>;
  /** Numeric thresholds of the rules. */
  thresholds: Partial<Thresholds>;
  /** Files larger than this many characters are skipped with one information message. */
  maxFileSize: number;
  /** The probe's options (`modelLint.probe.*`), read with readProbeSettings. */
  probe: Partial<ProbeSettings>;
}

/** Name of the per-project config file the CLI and the server both read. */
export const CONFIG_FILE_NAME = '.modellintrc.json';

/** Source name on every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'model-lint';

/** Code action kind of the "apply every safe fix" source action (usable in editor.codeActionsOnSave). */
export const FIX_ALL_CODE_ACTION_KIND = 'source.fixAll.modelLint';

/** Command ids: the server puts them into code actions and code lenses, the client implements them. */
export const Commands = {
  /** Opens a rule's documentation page; argument: ShowRuleDocumentationArgs. */
  showRuleDocumentation: 'modelLint.showRuleDocumentation',
  /** Runs the gradient probe on one model; argument: ProbeModelArgs. */
  probeModel: 'modelLint.probeModel',
  /** Palette commands of the client. */
  restartServer: 'modelLint.restartServer',
  showOutput: 'modelLint.showOutput',
  fixAllInFile: 'modelLint.fixAllInFile',
} as const;

/** Commands the server implements itself (workspace/executeCommand), for editors without the VS Code client. */
export const ServerCommands = {
  /**
   * Runs the gradient probe in the server's worker thread; arguments: ProbeModelArgs, then optional ServerProbeOptions.
   * Returns the ProbeReport. A new id, not Commands.probeModel: vscode-languageclient registers every server command
   * id as a VS Code command, which would clash with the client's own probe command.
   */
  probe: 'modelLint.probe',
} as const;

/** Who runs the "Probe gradients" lens: 'client' = the client implements Commands.probeModel (VS Code's webview); 'server' (default) = ServerCommands.probe. */
export type ProbeCommandHandler = 'client' | 'server';

/** The `initializationOptions` a client may send in `initialize`. */
export interface ModelLintInitializationOptions {
  /** Default 'server': lenses carry ServerCommands.probe, which is advertised only then. */
  probeCommand?: ProbeCommandHandler;
}

/** Optional second argument of ServerCommands.probe; each value given wins over the document's `modelLint.probe.*` settings. */
export interface ServerProbeOptions extends Partial<ProbeSettings> {
  /** Also probe the model with every suggested fix applied (default true). */
  compareFixed?: boolean;
  /** Input shape without the batch dimension, for a model whose report came back with errorCode 'input-shape-unknown'. */
  inputShape?: number[];
}

/** Argument of the `modelLint.showRuleDocumentation` command. */
export interface ShowRuleDocumentationArgs {
  ruleId: string;
  /** The rule's documentation page. */
  url: string;
}

/** Argument of the `modelLint.probeModel` command (from the "Probe gradients" code lens). */
export interface ProbeModelArgs {
  /** Document URI. */
  uri: string;
  /** Index of the model among the document's analysed models. */
  modelIndex: number;
  modelName: string;
}

/** Sent by the server after each analysis of a document: the problem count for the status bar. */
export namespace StatusNotification {
  export const method = 'modelLint/status' as const;
  export interface Params {
    /** The document's URI; for a Jupyter notebook the notebook's URI (its cells' problems are counted together). */
    uri: string;
    /** Number of model-lint diagnostics in the document (0 when none or skipped). */
    problemCount: number;
    /** 'ok' = analysed; 'skipped' = too large, binary or disabled; 'error' = internal error (see the output). */
    state: 'ok' | 'skipped' | 'error';
    /** Document version the status is for (a notebook's: the notebook version). */
    version: number;
    /** Milliseconds the engine spent on this version (0 when the result came from the cache). */
    analysisMs: number;
  }
}

/** Sent by the client (palette "Fix All in File"): the server answers with the edit applying all safe fixes, or null. */
export namespace FixAllRequest {
  export const method = 'modelLint/fixAll' as const;
  export interface Params {
    uri: string;
  }
  /** A WorkspaceEdit (LSP JSON shape) with versioned document changes, or null when nothing is fixable. */
  export type Result = {
    documentChanges: {
      textDocument: { uri: string; version: number };
      edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[];
    }[];
  } | null;
}
