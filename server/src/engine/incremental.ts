// Incremental parsing of one document edited keystroke by keystroke: TypeScript and lezer re-parse only around the change.
import type ts from 'typescript';
import { parseModels, type ModelParser } from './analyze';
import { languageOf, mayHoldPythonModel, mayHoldTfjsModel } from '../../../common/src/modelDetection';
import { parsePython } from './frontends/python';
import { readPythonSyntax, type PythonSyntax } from './frontends/python/syntax';
import { typeScriptCompiler, typeScriptFrontEnd } from './frontends/lazyTypeScript';
import { scanSuppressions } from './frontends/suppressions';
import type { ParseResult } from './ir';

const COMPARE_BLOCK = 256;

/** The smallest change turning `before` into `after`: the common prefix and suffix are kept. */
export function changeBetween(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  // Whole blocks first (V8 compares slices without copying them), then character by character.
  let prefix = 0;
  while (prefix + COMPARE_BLOCK <= shorter && before.slice(prefix, prefix + COMPARE_BLOCK) === after.slice(prefix, prefix + COMPARE_BLOCK))
    prefix += COMPARE_BLOCK;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const suffixLimit = shorter - prefix;
  while (
    suffix + COMPARE_BLOCK <= suffixLimit &&
    before.slice(before.length - suffix - COMPARE_BLOCK, before.length - suffix) ===
      after.slice(after.length - suffix - COMPARE_BLOCK, after.length - suffix)
  ) {
    suffix += COMPARE_BLOCK;
  }
  while (suffix < suffixLimit && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const compiler = typeScriptCompiler();
  return compiler.createTextChangeRange(compiler.createTextSpan(prefix, before.length - prefix - suffix), after.length - prefix - suffix);
}

/**
 * A ModelParser for successive versions of one document. It keeps the last TypeScript syntax tree and hands
 * TypeScript's own incremental parser (the one its language service uses per keystroke) the changed range, so
 * the tree is rebuilt only around the edit; for Python it keeps lezer's tree and lets lezer reuse the fragments
 * the change did not touch. The models are then read from the tree as on a fresh parse; JSON and other files go
 * to parseModels unchanged. updateSourceFile recycles the old tree's nodes, so nothing outside this object may
 * hold it: the IR keeps spans and values, never nodes.
 */
export class IncrementalParser {
  private last: { fileName: string; text: string; sourceFile: ts.SourceFile } | undefined;
  private lastPython: PythonSyntax | undefined;

  /** Parses this version of the document (a ModelParser for analyze()). */
  readonly parse: ModelParser = (text, fileName) => {
    const language = languageOf(fileName);
    if (language === 'python') return mayHoldPythonModel(text) ? this.parsePython(text) : null;
    this.lastPython = undefined;
    if (language !== 'typescript') {
      this.last = undefined;
      return parseModels(text, fileName);
    }
    if (!mayHoldTfjsModel(text)) return null;
    const suppressions = scanSuppressions(text);
    const sourceFile = this.sourceFileOf(text, fileName);
    if (typeof sourceFile === 'string') {
      return {
        language: 'typescript',
        models: [],
        notes: [{ message: `TypeScript could not parse the file: ${sourceFile}` }],
        suppressions,
      };
    }
    return { ...typeScriptFrontEnd().readModels(sourceFile), suppressions } satisfies ParseResult;
  };

  /**
   * Reads this version of a Python document (or a notebook's module, whose labels name cells through `placeOf`),
   * re-parsing incrementally from the last version.
   */
  readonly parsePython = (text: string, placeOf?: (offset: number) => string): ParseResult => {
    this.last = undefined;
    // lezer trees are immutable: a tree reused as fragments stays valid, so the last one is simply replaced.
    this.lastPython = readPythonSyntax(text, this.lastPython);
    return parsePython(text, placeOf, this.lastPython);
  };

  /** The tree of `text`: updated from the last one when there is one for this file, else parsed afresh; the error text if parsing threw. */
  private sourceFileOf(text: string, fileName: string): ts.SourceFile | string {
    const last = this.last;
    this.last = undefined; // an update consumes the old tree, even when it throws
    if (last !== undefined && last.fileName === fileName) {
      if (last.text === text) {
        this.last = last;
        return last.sourceFile;
      }
      try {
        const sourceFile = typeScriptCompiler().updateSourceFile(last.sourceFile, text, changeBetween(last.text, text));
        this.last = { fileName, text, sourceFile };
        return sourceFile;
      } catch {
        // fall through to a fresh parse, which decides what the file gives
      }
    }
    try {
      const compiler = typeScriptCompiler();
      // Parent pointers are not needed by the readers (TypeScript's incremental update sets them on its own).
      const sourceFile = compiler.createSourceFile(
        fileName,
        text,
        compiler.ScriptTarget.Latest,
        false,
        typeScriptFrontEnd().scriptKindOf(fileName),
      );
      this.last = { fileName, text, sourceFile };
      return sourceFile;
    } catch (error) {
      return String(error);
    }
  }
}
