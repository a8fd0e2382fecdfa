// The one adapter from engine results to LSP diagnostics (rule problems and engine notes).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../../../common/src/protocol';
import { docsUrl } from '../../../common/src/rules';
import type { AnalysisResult, EngineDiagnostic, Severity } from '../engine/types';

/** What a published diagnostic carries for the code action handler. */
export interface DiagnosticData {
  /** Key of the recorded fixes (range + rule + message hash). */
  fixKey: string;
  /** Document version the diagnostic was computed for. */
  version: number;
}

/** Maps an engine severity to the LSP one. */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

/** Small stable string hash (FNV-1a) so fix keys stay short for long messages. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/** Key that identifies a diagnostic's fixes: its range, rule and message. */
export function fixKeyOf(diagnostic: Pick<Diagnostic, 'range' | 'code' | 'message'>): string {
  const { start, end } = diagnostic.range;
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  return `${start.line}:${start.character}-${end.line}:${end.character}|${String(diagnostic.code)}|${hashText(message)}`;
}

/** Converts one engine diagnostic (character offsets) to an LSP diagnostic of this document version. */
export function toLspDiagnostic(document: TextDocument, problem: EngineDiagnostic): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(problem.span.start), end: document.positionAt(problem.span.end) },
    severity: toLspSeverity(problem.severity),
    source: DIAGNOSTIC_SOURCE,
    code: problem.ruleId,
    codeDescription: { href: docsUrl(problem.ruleId) },
    message: problem.message,
  };
  const data: DiagnosticData = { fixKey: fixKeyOf(diagnostic), version: document.version };
  diagnostic.data = data;
  return diagnostic;
}

/** One information diagnostic for an engine note that says the file was skipped (too large, binary). */
export function skippedFileDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message,
  };
}

/** True when the engine skipped the whole file (its notes say so and nothing was analysed). */
export function isSkipped(result: AnalysisResult): boolean {
  return result.language === 'none' && result.notes.some((note) => note.span === undefined);
}

/** All LSP diagnostics of one analysis: rule problems, plus one information message when the file was skipped. */
export function toLspDiagnostics(document: TextDocument, result: AnalysisResult): Diagnostic[] {
  if (isSkipped(result)) {
    const note = result.notes.find((n) => n.span === undefined);
    return note ? [skippedFileDiagnostic(note.message)] : [];
  }
  return result.diagnostics.map((problem) => toLspDiagnostic(document, problem));
}
