// The .modellintrc.json side of settings: which config applies to a document, and its problems as diagnostics.
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE } from '../../../common/src/protocol';
import { findConfigFile, mergeOptions, parseConfigText, readConfigFile, type ParsedConfig } from '../config';
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
    severity: problem.fatal ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
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
 *
 * Each config text is parsed once: an edit of the config re-resolves the settings of every open document,
 * and all of them share the parse of the new text (its problems are reported once, when it is parsed).
 */
export class ConfigResolver {
  /** The last text seen per config file URI and its parse. */
  private readonly parsedByUri = new Map<string, { text: string; parsed: ParsedConfig }>();

  constructor(
    private readonly openText: (uri: string) => string | undefined,
    private readonly reportProblems: ConfigProblemSink,
    private readonly parse: (text: string) => ParsedConfig = parseConfigText,
  ) {}

  /** Reports the problems of an open config document from its current text (once per distinct text). */
  reportOpenConfig(configUri: string): void {
    const text = this.openText(configUri);
    if (text !== undefined) this.parsed(configUri, text);
  }

  /** User options with the nearest config file merged over them (file settings win). */
  merge(userOptions: AnalyzeOptions, documentPath: string | null): AnalyzeOptions {
    if (documentPath === null) return userOptions;
    const configPath = findConfigFile(dirname(documentPath));
    if (configPath === null) return userOptions;
    const configUri = pathToFileURL(configPath).toString();
    const unsaved = this.openText(configUri);
    if (unsaved !== undefined) return mergeOptions(userOptions, this.parsed(configUri, unsaved).options);
    const read = readConfigFile(configPath);
    if (read.unreadable) {
      // Not cached: the next read may succeed, and must then be parsed and reported.
      this.parsedByUri.delete(configUri);
      this.reportProblems(configUri, configDiagnostics('', { options: {}, problems: [read.unreadable] }));
      return userOptions;
    }
    return mergeOptions(userOptions, this.parsed(configUri, read.text).options);
  }

  /** The parse of this config text, reusing the last one when the text is unchanged; a new parse reports its problems. */
  private parsed(configUri: string, text: string): ParsedConfig {
    const cached = this.parsedByUri.get(configUri);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = this.parse(text);
    this.parsedByUri.set(configUri, { text, parsed });
    this.reportProblems(configUri, configDiagnostics(text, parsed));
    return parsed;
  }
}
