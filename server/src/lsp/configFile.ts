// The .modellintrc.json side of settings: which config applies to a document, and its problems as diagnostics.
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE } from '../../../common/src/protocol';
import { findConfigFile, loadConfigFile, mergeOptions, parseConfigText, type ParsedConfig } from '../config';
import type { AnalyzeOptions } from '../engine/types';

/** Diagnostic code of config file problems. */
export const CONFIG_PROBLEM_CODE = 'invalid-config';

/** True when a URI names a model-lint config file. */
export function isConfigFileUri(uri: string): boolean {
  return basename(decodeURIComponent(uri.split(/[?#]/)[0] ?? uri)) === CONFIG_FILE_NAME;
}

/** A config file's problems as diagnostics on that file. */
export function configDiagnostics(text: string, parsed: ParsedConfig): Diagnostic[] {
  const document = TextDocument.create('config', 'json', 0, text);
  return parsed.problems.map((problem) => ({
    range: { start: document.positionAt(problem.offset), end: document.positionAt(problem.offset + problem.length) },
    severity: problem.message.startsWith('Invalid JSON') ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: CONFIG_PROBLEM_CODE,
    message: problem.message,
  }));
}

/** Reports a config file's problems (by file URI). */
export type ConfigProblemSink = (configUri: string, diagnostics: Diagnostic[]) => void;

/**
 * Finds and reads the config that applies to a document, preferring the editor's unsaved text
 * when the config file is open, and reports its problems.
 */
export class ConfigResolver {
  constructor(
    private readonly openText: (uri: string) => string | undefined,
    private readonly reportProblems: ConfigProblemSink,
  ) {}

  /** Reports the problems of an open config document from its current text. */
  reportOpenConfig(configUri: string): void {
    const text = this.openText(configUri);
    if (text !== undefined) this.reportProblems(configUri, configDiagnostics(text, parseConfigText(text)));
  }

  /** User options with the nearest config file merged over them (file settings win). */
  merge(userOptions: AnalyzeOptions, documentPath: string | null): AnalyzeOptions {
    if (documentPath === null) return userOptions;
    const configPath = findConfigFile(dirname(documentPath));
    if (configPath === null) return userOptions;
    const configUri = pathToFileURL(configPath).toString();
    const unsaved = this.openText(configUri);
    const text = unsaved ?? null;
    const parsed = text !== null ? { ...parseConfigText(text), text } : loadConfigFile(configPath);
    this.reportProblems(configUri, configDiagnostics(parsed.text, parsed));
    return mergeOptions(userOptions, parsed.options);
  }
}
