// Code actions from recorded fixes: quick fixes, suggestions, fix-all, disable-for-line, show documentation.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, DIAGNOSTIC_SOURCE, FIX_ALL_CODE_ACTION_KIND, type ShowRuleDocumentationArgs } from '../../../common/src/protocol';
import { docsUrl } from '../../../common/src/rules';
import { analyze } from '../engine/analyze';
import { fixUntilStable } from '../engine/applyFixes';
import type { AnalyzeOptions, Fix, TextEdit } from '../engine/types';
import { fixKeyOf } from './diagnostics';
import { fileNameOf, type DocumentAnalysis } from './documents';
import { languageOf } from '../../../common/src/modelDetection';

/** Languages whose files take a `//` line comment (the disable comment). */
const LINE_COMMENT_LANGUAGES: ReadonlySet<string> = new Set(['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'jsonc']);

/** The comment that silences a rule on the next line, in the file's comment syntax; null for plain JSON (no comments). */
export function disableNextLineComment(document: TextDocument, ruleId: string): string | null {
  if (
    document.languageId === 'python' ||
    (!LINE_COMMENT_LANGUAGES.has(document.languageId) && languageOf(fileNameOf(document)) === 'python')
  ) {
    return `# model-lint: disable-next-line ${ruleId}`;
  }
  return LINE_COMMENT_LANGUAGES.has(document.languageId) ? `// model-lint-disable-next-line ${ruleId}` : null;
}

/** Title of the "fix all" actions. */
export const FIX_ALL_TITLE = 'Fix all model-lint problems in this file';

/** Whether a WorkspaceEdit may carry versioned document changes for this client. */
export interface EditCapabilities {
  documentChanges: boolean;
}

/** Converts engine edits (character offsets) to LSP edits of this document. */
export function toLspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({
    range: { start: document.positionAt(edit.span.start), end: document.positionAt(edit.span.end) },
    newText: edit.text,
  }));
}

/** A WorkspaceEdit for one document; versioned when the client supports it so a stale edit is refused. */
export function workspaceEditOf(document: TextDocument, edits: LspTextEdit[], capabilities: EditCapabilities): WorkspaceEdit {
  if (capabilities.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] };
  }
  return { changes: { [document.uri]: edits } };
}

/** One edit turning `before` into `after`: the changed middle between their common prefix and suffix. */
export function minimalEdit(before: string, after: string): TextEdit {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix))
    suffix++;
  return { span: { start: prefix, end: before.length - suffix }, text: after.slice(prefix, after.length - suffix) };
}

/** The edit that applies every safe fix (re-analysing until stable, as the CLI's --fix does), or null when there is none. */
export function fixAllEdit(
  document: TextDocument,
  analysis: DocumentAnalysis,
  options: AnalyzeOptions,
  capabilities: EditCapabilities,
): WorkspaceEdit | null {
  const problems = analysis.result?.diagnostics ?? [];
  if (!problems.some((problem) => problem.fix && problem.fix.edits.length > 0)) return null;
  const text = document.getText();
  const fileName = fileNameOf(document);
  let first = true;
  // The first pass reuses the analysis already made for this version.
  const fixed = fixUntilStable(text, (current) => {
    if (first) {
      first = false;
      return problems;
    }
    return analyze(current, fileName, options).diagnostics;
  });
  if (fixed.text === text) return null;
  return workspaceEditOf(document, toLspEdits(document, [minimalEdit(text, fixed.text)]), capabilities);
}

/** Whether an action kind was asked for (no `only` asks for every kind). */
function kindMatches(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

/** "Disable <rule> for this line": the comment on its own line above the diagnostic, indented as that line. */
function disableLineAction(
  document: TextDocument,
  comment: string,
  ruleId: string,
  diagnostic: Diagnostic,
  capabilities: EditCapabilities,
): CodeAction {
  const line = diagnostic.range.start.line;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  return {
    title: `Disable ${ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEditOf(
      document,
      [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          newText: `${indent}${comment}\n`,
        },
      ],
      capabilities,
    ),
  };
}

/** Opens the rule's documentation page. */
function showDocumentationAction(ruleId: string): CodeAction {
  const args: ShowRuleDocumentationArgs = { ruleId, url: docsUrl(ruleId) };
  return {
    title: `Show documentation for ${ruleId}`,
    kind: CodeActionKind.QuickFix,
    command: { title: `Show documentation for ${ruleId}`, command: Commands.showRuleDocumentation, arguments: [args] },
  };
}

/** A problem behind a published diagnostic, with its safe fix and suggestions as ready edits. */
export interface ActionableProblem {
  ruleId: string;
  fix: { title: string; edit: WorkspaceEdit } | null;
  suggestions: { title: string; edit: WorkspaceEdit }[];
}

/** What the code actions of one text document or notebook cell are built from. */
export interface ActionSource {
  /** The document the diagnostics are in (the disable comment goes there). */
  document: TextDocument;
  capabilities: EditCapabilities;
  /** The problem behind a diagnostic of the current version, or null. */
  problemOf(diagnostic: Diagnostic): ActionableProblem | null;
  /** Every safe fix as one edit (computed only when an action carries it), or null when there is none. */
  fixAll(): WorkspaceEdit | null;
  fixAllTitle: string;
  /** The source fix-all (fix on save) when it must differ from fixAll: an edit of `document` alone. */
  sourceFixAll?(): WorkspaceEdit | null;
  sourceFixAllTitle?: string;
}

/**
 * The code actions for a request: per model-lint diagnostic of the current version its safe fix (preferred), its
 * suggestions, "Disable <rule> for this line" and the rule's documentation, then fix-all; the source fix-all when asked.
 */
export function codeActionsOf(source: ActionSource, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  let fixAllComputed: WorkspaceEdit | null | undefined;
  // Fix-all re-analyses the text, so it is computed only when an action will carry it.
  const fixAll = (): WorkspaceEdit | null => (fixAllComputed === undefined ? (fixAllComputed = source.fixAll()) : fixAllComputed);

  if (kindMatches(CodeActionKind.QuickFix, only)) {
    const documented = new Set<string>();
    let fixableCount = 0;
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const data = diagnostic.data as { version?: unknown } | undefined;
      // A diagnostic from an older version has ranges that no longer match the text.
      if (data && typeof data.version === 'number' && data.version !== source.document.version) continue;
      const problem = source.problemOf(diagnostic);
      if (!problem) continue;
      if (problem.fix) {
        actions.push({
          title: problem.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: problem.fix.edit,
        });
        fixableCount++;
      }
      for (const suggestion of problem.suggestions) {
        actions.push({
          title: suggestion.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: false,
          edit: suggestion.edit,
        });
      }
      const comment = disableNextLineComment(source.document, problem.ruleId);
      if (comment !== null) actions.push(disableLineAction(source.document, comment, problem.ruleId, diagnostic, source.capabilities));
      if (!documented.has(problem.ruleId)) {
        documented.add(problem.ruleId);
        actions.push(showDocumentationAction(problem.ruleId));
      }
    }
    const edit = fixableCount > 0 ? fixAll() : null;
    if (edit) actions.push({ title: source.fixAllTitle, kind: CodeActionKind.QuickFix, edit });
  }
  // Source actions only when asked for (editor.codeActionsOnSave or the source action menu).
  if (only && only.length > 0 && kindMatches(FIX_ALL_CODE_ACTION_KIND, only)) {
    const edit = source.sourceFixAll ? source.sourceFixAll() : fixAll();
    if (edit) actions.push({ title: source.sourceFixAllTitle ?? source.fixAllTitle, kind: FIX_ALL_CODE_ACTION_KIND, edit });
  }
  return actions;
}

/** All code actions for a request, matched against the analysis of the document's current version. */
export function codeActionsFor(
  document: TextDocument,
  analysis: DocumentAnalysis,
  options: AnalyzeOptions,
  params: CodeActionParams,
  capabilities: EditCapabilities,
): CodeAction[] {
  const asEdit = (fix: Fix): { title: string; edit: WorkspaceEdit } => ({
    title: fix.title,
    edit: workspaceEditOf(document, toLspEdits(document, fix.edits), capabilities),
  });
  return codeActionsOf(
    {
      document,
      capabilities,
      problemOf: (diagnostic) => {
        const problem = analysis.problemsByKey.get(fixKeyOf(diagnostic));
        return problem
          ? { ruleId: problem.ruleId, fix: problem.fix ? asEdit(problem.fix) : null, suggestions: problem.suggestions.map(asEdit) }
          : null;
      },
      fixAll: () => fixAllEdit(document, analysis, options, capabilities),
      fixAllTitle: FIX_ALL_TITLE,
    },
    params,
  );
}
