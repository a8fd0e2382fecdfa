// Per-document analysis cache: one engine run per document version and options, errors contained.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../engine/analyze';
import { IncrementalParser } from '../engine/incremental';
import { languageOf } from '../../../common/src/modelDetection';
import type { AnalysisResult, AnalyzeOptions, EngineDiagnostic } from '../engine/types';
import { isSkipped, toLspDiagnostics, type DiagnosticData } from './diagnostics';
import { ownValue } from '../engine/ownKeys';

/** Language ids the server analyses; anything else is ignored before any work. */
export const SERVED_LANGUAGES: ReadonlySet<string> = new Set([
  'typescript',
  'javascript',
  'typescriptreact',
  'javascriptreact',
  'json',
  'jsonc',
  'python',
]);

const EXTENSION_OF_LANGUAGE: Record<string, string> = {
  typescript: '.ts',
  javascript: '.js',
  typescriptreact: '.tsx',
  javascriptreact: '.jsx',
  json: '.json',
  jsonc: '.jsonc',
  python: '.py',
};

/** A file name for the engine: the file path when the URI is a file, with an extension matching the language id. */
export function fileNameOf(document: TextDocument): string {
  let name: string;
  try {
    name = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : decodeURIComponent(document.uri.replace(/^[a-z]+:\/*/i, ''));
  } catch {
    name = document.uri;
  }
  const extension = ownValue(EXTENSION_OF_LANGUAGE, document.languageId);
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

/**
 * Syntax trees are kept for this many documents, the ones analysed last: typing goes on in a few of them, and
 * a tree costs memory (a 2,000-line file's tree is a few MB) while every other open document needs none.
 */
const INCREMENTAL_DOCUMENTS = 4;

/** Incremental parsers of the documents (or notebooks) analysed last; the least recent beyond the limit lose theirs. */
export class RecentParsers {
  private readonly parsers = new Map<string, IncrementalParser>();

  constructor(private readonly limit: number) {}

  /** The parser of a URI, now the most recent. */
  get(uri: string): IncrementalParser {
    let parser = this.parsers.get(uri);
    if (parser === undefined) parser = new IncrementalParser();
    else this.parsers.delete(uri);
    this.parsers.set(uri, parser);
    for (const oldest of this.parsers.keys()) {
      if (this.parsers.size <= this.limit) break;
      this.parsers.delete(oldest);
    }
    return parser;
  }

  delete(uri: string): void {
    this.parsers.delete(uri);
  }
}

/** What the cache keeps per document: the last analysis and what it was computed from. */
interface CacheEntry {
  options: AnalyzeOptions;
  analysis: DocumentAnalysis;
  text: string;
  fileName: string;
}

/** Caches the last analysis per document; a new version or new options recompute it, unless the text is unchanged. */
export class AnalysisCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Incremental parsers of the documents analysed last. */
  private readonly parsers = new RecentParsers(INCREMENTAL_DOCUMENTS);

  constructor(private readonly logError: ErrorLogger) {}

  /** The analysis of this exact document version with these options, computed at most once. */
  get(document: TextDocument, options: AnalyzeOptions): DocumentAnalysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.analysis.version === document.version && cached.options === options) return cached.analysis;
    const text = document.getText();
    const fileName = fileNameOf(document);
    let analysis: DocumentAnalysis;
    if (cached && cached.options === options && cached.fileName === fileName && cached.text === text && cached.analysis.result !== null) {
      // A new version with the same text (an edit undone, a save that changed nothing): the engine's answer is the same.
      analysis = this.publishable(document, cached.analysis.result, 0);
    } else {
      analysis = this.compute(document, text, fileName, options);
    }
    this.entries.set(document.uri, { options, analysis, text, fileName });
    return analysis;
  }

  /** Forgets a closed document. */
  delete(uri: string): void {
    this.entries.delete(uri);
    this.parsers.delete(uri);
  }

  /** Forgets every document (settings changed). */
  clear(): void {
    this.entries.clear();
  }

  private compute(document: TextDocument, text: string, fileName: string, options: AnalyzeOptions): DocumentAnalysis {
    if (!isServedDocument(document)) {
      return {
        uri: document.uri,
        version: document.version,
        problemsByKey: new Map(),
        analysisMs: 0,
        result: null,
        diagnostics: [],
        state: 'skipped',
      };
    }
    try {
      const started = performance.now();
      const result = analyze(text, fileName, options, this.parsers.get(document.uri).parse);
      return this.publishable(document, result, performance.now() - started);
    } catch (error) {
      this.logError(
        `model-lint: internal error while analysing ${fileName}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return {
        uri: document.uri,
        version: document.version,
        problemsByKey: new Map(),
        analysisMs: 0,
        result: null,
        diagnostics: [],
        state: 'error',
      };
    }
  }

  /** An engine result as this document version publishes it: LSP diagnostics and the problem behind each fix key. */
  private publishable(document: TextDocument, result: AnalysisResult, analysisMs: number): DocumentAnalysis {
    const problemsByKey = new Map<string, EngineDiagnostic>();
    const diagnostics = toLspDiagnostics(document, result);
    if (!isSkipped(result)) {
      // toLspDiagnostics keeps the engine's order, so the i-th diagnostic is the i-th problem.
      diagnostics.forEach((diagnostic, index) => problemsByKey.set((diagnostic.data as DiagnosticData).fixKey, result.diagnostics[index]!));
    }
    return {
      uri: document.uri,
      version: document.version,
      result,
      diagnostics,
      problemsByKey,
      state: isSkipped(result) ? 'skipped' : 'ok',
      analysisMs,
    };
  }
}
