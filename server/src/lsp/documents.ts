// Per-document analysis cache: one engine run per document version and options, errors contained.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../engine/analyze';
import { languageOf } from '../engine/frontends/detect';
import type { AnalysisResult, AnalyzeOptions, EngineDiagnostic } from '../engine/types';
import { isSkipped, toLspDiagnostics, type DiagnosticData } from './diagnostics';

/** Language ids the server analyses; anything else is ignored before any work. */
export const SERVED_LANGUAGES: ReadonlySet<string> = new Set([
  'typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'json', 'jsonc',
]);

const EXTENSION_OF_LANGUAGE: Record<string, string> = {
  typescript: '.ts', javascript: '.js', typescriptreact: '.tsx', javascriptreact: '.jsx', json: '.json', jsonc: '.jsonc',
};

/** A file name for the engine: the file path when the URI is a file, with an extension matching the language id. */
export function fileNameOf(document: TextDocument): string {
  let name: string;
  try {
    name = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : decodeURIComponent(document.uri.replace(/^[a-z]+:\/*/i, ''));
  } catch {
    name = document.uri;
  }
  const extension = EXTENSION_OF_LANGUAGE[document.languageId];
  // An untitled buffer or an odd name still goes to the front end its language id selects.
  if (extension && languageOf(name) === null) name += extension;
  return name;
}

/** Whether the server analyses a document: a served language id, or (for clients that send none) a served file extension. */
export function isServedDocument(document: TextDocument): boolean {
  return SERVED_LANGUAGES.has(document.languageId) || languageOf(fileNameOf(document)) !== null;
}

/** The outcome of analysing one document version. */
export interface DocumentAnalysis {
  uri: string;
  version: number;
  /** null when the analysis threw (logged) or the document is disabled. */
  result: AnalysisResult | null;
  diagnostics: Diagnostic[];
  /** The engine problem behind each published diagnostic, by fix key (range + rule + message hash) for this version. */
  problemsByKey: Map<string, EngineDiagnostic>;
  state: 'ok' | 'skipped' | 'error';
  /** Milliseconds spent in the engine for this version. */
  analysisMs: number;
}

/** Logs an internal error without stopping the server. */
export type ErrorLogger = (message: string) => void;

/** Caches the last analysis per document; a new version or new options recompute it. */
export class AnalysisCache {
  private readonly entries = new Map<string, { options: AnalyzeOptions; analysis: DocumentAnalysis }>();

  constructor(private readonly logError: ErrorLogger) {}

  /** The analysis of this exact document version with these options, computed at most once. */
  get(document: TextDocument, options: AnalyzeOptions): DocumentAnalysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.analysis.version === document.version && cached.options === options) return cached.analysis;
    const analysis = this.compute(document, options);
    this.entries.set(document.uri, { options, analysis });
    return analysis;
  }

  /** The last analysis computed for a URI, whatever its version. */
  peek(uri: string): DocumentAnalysis | undefined {
    return this.entries.get(uri)?.analysis;
  }

  /** Forgets a closed document. */
  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /** Forgets every document (settings changed). */
  clear(): void {
    this.entries.clear();
  }

  private compute(document: TextDocument, options: AnalyzeOptions): DocumentAnalysis {
    const base = { uri: document.uri, version: document.version, problemsByKey: new Map<string, EngineDiagnostic>(), analysisMs: 0 };
    if (!isServedDocument(document)) return { ...base, result: null, diagnostics: [], state: 'skipped' };
    const fileName = fileNameOf(document);
    try {
      const started = performance.now();
      const result = analyze(document.getText(), fileName, options);
      base.analysisMs = performance.now() - started;
      const diagnostics = toLspDiagnostics(document, result);
      if (!isSkipped(result)) {
        // toLspDiagnostics keeps the engine's order, so the i-th diagnostic is the i-th problem.
        diagnostics.forEach((diagnostic, index) => base.problemsByKey.set((diagnostic.data as DiagnosticData).fixKey, result.diagnostics[index]!));
      }
      return { ...base, result, diagnostics, state: isSkipped(result) ? 'skipped' : 'ok' };
    } catch (error) {
      this.logError(`model-lint: internal error while analysing ${fileName}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { ...base, result: null, diagnostics: [], state: 'error' };
    }
  }
}
