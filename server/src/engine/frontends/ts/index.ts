// TS/JS front end: finds TF.js models (sequential, functional) in source text with the TypeScript compiler API, syntax only.
// The file is indexed (bindings.ts), then interpreted (interpreter.ts and the classes below it: models.ts, values.ts,
// controlFlow.ts, scopes.ts), and the layers it met become IR models (assemble.ts).
import ts from 'typescript';
import type { Model, ParseResult } from '../../ir';
import { dropInsertionsAtErrors } from '../common';
import { scanSuppressions } from '../suppressions';
import { indexFile, syntaxDepthNote } from './bindings';
import { ModelInterpreter } from './interpreter';
import { STEP_BUDGET } from './scopes';

export { STEP_BUDGET };

/** The script kind (TS, TSX, JS, JSX) a file name gives the parser. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

interface ParseDiagnostic {
  start?: number;
  length?: number;
  messageText: string | ts.DiagnosticMessageChain;
}

function syntaxNotes(sourceFile: ts.SourceFile): ParseResult['notes'] {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ParseDiagnostic[] }).parseDiagnostics;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.map((diagnostic) => {
    const message = `Syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    if (typeof diagnostic.start !== 'number') return { message };
    return { message, span: { start: diagnostic.start, end: diagnostic.start + (diagnostic.length ?? 0) } };
  });
}

/** Parses TS/JS source into models (never throws: a half-typed file gives what can be read). */
export function parseTypeScript(text: string, fileName: string): ParseResult {
  const suppressions = scanSuppressions(text);
  let sourceFile: ts.SourceFile;
  try {
    // No parent pointers (a fifth of the parse): the readers track parents and scopes themselves.
    sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  } catch (error) {
    return {
      language: 'typescript',
      models: [],
      notes: [{ message: `TypeScript could not parse the file: ${String(error)}` }],
      suppressions,
    };
  }
  return { ...readModels(sourceFile), suppressions };
}

/** Reads the models of an already parsed source file (for callers that hold one), with its syntax errors as notes. */
export function readModels(sourceFile: ts.SourceFile): Omit<ParseResult, 'suppressions'> {
  const notes = syntaxNotes(sourceFile);
  let models: Model[];
  const index = indexFile(sourceFile);
  const interpreter = new ModelInterpreter(index);
  try {
    models = interpreter.run();
  } catch (error) {
    models = interpreter.models;
    notes.push({ message: `model-lint could not finish reading the models: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (interpreter.outOfSteps) {
    notes.push({
      message: `model-lint stopped reading the models of this file after ${STEP_BUDGET} interpretation steps (loops and helper calls unrolled); the models and layers read until then are kept, later code was not read.`,
    });
  }
  const tooDeepAt = index.tooDeepAt ?? interpreter.tooDeepAt;
  if (tooDeepAt !== undefined) {
    const text = sourceFile.text;
    let start = tooDeepAt;
    while (start < text.length && /\s/.test(text[start])) start++;
    notes.push({ message: syntaxDepthNote(), span: { start, end: start } });
  }
  dropInsertionsAtErrors(
    models,
    notes.flatMap((note) => (note.span ? [note.span.start] : [])),
  );
  return { language: 'typescript', models, notes };
}
